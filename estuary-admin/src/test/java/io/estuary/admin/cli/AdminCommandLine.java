package io.estuary.admin.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

import io.estuary.testkit.SoftHsmTestToken;
import picocli.CommandLine;

/** Runs the admin tool in this JVM, as {@code estuary-admin args...}, and keeps what it printed. */
public record AdminCommandLine(int exitCode, String out, String err) {

    public static AdminCommandLine run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = EstuaryAdmin.commandLine(SoftHsmTestToken.PIN::toCharArray)
                .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new AdminCommandLine(exitCode, out.toString(), err.toString());
    }
}
