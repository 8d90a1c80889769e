package io.vtep.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void aSegmentWhosePortRunsLacpGetsALineWithItsState()
    {
        @SuppressWarnings("unchecked")
        final Map<String, Object> document = (Map<String, Object>)JsonReader.parse("""
            {"segments":[{"esi":"00:11:22:33:44:55:66:77:88:99","port":"acc1","state":"up","df_algorithm":"modulo",
            "peers":[],"designated_forwarders":[{"vni":100,"vtep":"192.0.2.1","local":true}],
            "lacp":{"distributing":true,"receive_state":"current","mux_state":"collecting_distributing",
              "partner":{"system":"00:11:22:33:44:55","key":17,"port":2}}},
            {"esi":"00:11:22:33:44:55:66:77:88:aa","port":"acc2","state":"down","df_algorithm":"modulo",
            "peers":[],"designated_forwarders":[{"vni":100,"vtep":null,"local":false}],
            "lacp":{"distributing":false,"receive_state":"defaulted","mux_state":"waiting",
              "partner":{"system":"00:00:00:00:00:00","key":0,"port":0}}},
            {"esi":"00:11:22:33:44:55:66:77:88:bb","port":"acc3","state":"up","df_algorithm":"modulo",
            "peers":[],"designated_forwarders":[]}],"remote":[]}
            """);

        final String out = EsShowCommand.table(document);
        assertTrue(out.endsWith("""
            ES 00:11:22:33:44:55:66:77:88:99 on acc1: lacp distributing, partner 00:11:22:33:44:55 key 17 port 2 (current)
            ES 00:11:22:33:44:55:66:77:88:aa on acc2: lacp not distributing (waiting), partner 00:00:00:00:00:00 key 0 port 0 (defaulted)
            """), out);
        assertFalse(out.contains("on acc3"), "a segment port without LACP has no LACP line: " + out);
    }
}
