package io.vtep.core.api;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** {@code vtep vni list} names each LACP port's state and partner under the table. */
class LacpCliFormatTest
{
    @Test
    void vniListEndsWithTheLacpPorts() throws Exception
    {
        @SuppressWarnings("unchecked")
        final Map<String, Object> document = (Map<String, Object>)JsonReader.parse("""
            {"vnis":[{"vni":100,"learning":"data-plane","ports":["acc1","acc2"],"flood":[],"fdb":{"total":0},
              "counters":{"rx":{},"tx":{},"floods":0,"drops":{}},
              "port_states":[
                {"port":"acc1","state":"up","ifindex":3,"reopens":0,"lacp":{"distributing":true,"receive_state":"current",
                  "mux_state":"collecting_distributing","partner":{"system":"00:11:22:33:44:55","key":1,"port":2}}},
                {"port":"acc2","state":"up","ifindex":4,"reopens":0,"lacp":{"distributing":false,"receive_state":"defaulted",
                  "mux_state":"waiting","partner":{"system":"00:00:00:00:00:00","key":0,"port":0}}}]}],
             "drops":{}}
            """);
        final String out = CliFormat.vniList(document);
        assertTrue(out.endsWith("""
            lacp on acc1: distributing, partner 00:11:22:33:44:55 key 1 port 2 (current)
            lacp on acc2: not distributing (waiting), partner 00:00:00:00:00:00 key 0 port 0 (defaulted)
            """), out);
    }
}
