package io.vtep.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.vtep.core.api.JsonReader;

/** {@code vtep es show}: a line per segment and VNI, the DF marked when it is this vtep; remote segments after. */
class EsShowCommandTest
{
    @Test
    void printsEachSegmentAndVniWithItsDf()
    {
        @SuppressWarnings("unchecked")
        final Map<String, Object> document = (Map<String, Object>)JsonReader.parse("""
            {"segments":[{"esi":"00:11:22:33:44:55:66:77:88:99","port":"acc1","state":"up","df_algorithm":"modulo",
            "peers":["192.0.2.3"],"designated_forwarders":[{"vni":100,"vtep":"192.0.2.1","local":true},
            {"vni":200,"vtep":null,"local":false}]}],"remote":[{"esi":"03:44:38:39:ff:00:01:00:00:01","vteps":["192.0.2.7","192.0.2.8"]}]}
            """);

        assertEquals("""
            ESI                            PORT  STATE  ALGORITHM  PEERS      VNI  DF
            00:11:22:33:44:55:66:77:88:99  acc1  up     modulo     192.0.2.3  100  192.0.2.1 (this vtep)
            00:11:22:33:44:55:66:77:88:99  acc1  up     modulo     192.0.2.3  200  (election pending)
            remote ES 03:44:38:39:ff:00:01:00:00:01: 192.0.2.7,192.0.2.8
            """, EsShowCommand.table(document));
    }

    @Test
    void namesASegmentOfOneVlanByItsPortAndVlan()
    {
        @SuppressWarnings("unchecked")
        final Map<String, Object> document = (Map<String, Object>)JsonReader.parse("""
            {"segments":[{"esi":"00:11:22:33:44:55:66:77:88:01","port":"acc1","vlan":10,"state":"up","df_algorithm":"preference",
            "peers":[],"designated_forwarders":[{"vni":1000,"vtep":"192.0.2.1","local":true}]}],"remote":[]}
            """);

        assertEquals("""
            ESI                            PORT     STATE  ALGORITHM   PEERS  VNI   DF
            00:11:22:33:44:55:66:77:88:01  acc1.10  up     preference  -      1000  192.0.2.1 (this vtep)
            """, EsShowCommand.table(document));
    }
}
