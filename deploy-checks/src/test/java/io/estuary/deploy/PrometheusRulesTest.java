package io.estuary.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The alerting rules and the dashboard as Prometheus itself reads them: {@code promtool} (Debian's prometheus
 * package, which the test command installs) checks the rules, runs their unit tests, and parses every dashboard query.
 */
class PrometheusRulesTest {
    static final Path DEPLOY = Path.of(System.getProperty("estuary.deploy.dir", "../deploy"));
    static final Path RULES = DEPLOY.resolve("prometheus/estuary-alerts.yml");

    @Test
    void rulesAreValid() throws Exception {
        String out = promtool("check", "rules", RULES.toString());
        assertTrue(out.contains("SUCCESS: 10 rules found"), out);
    }

    @Test
    void alertsFireWhenTheirUnitTestsSayAndOnlyThen() throws Exception {
        String out = promtool("test", "rules", DEPLOY.resolve("prometheus/estuary-alerts.test.yml").toString());
        assertTrue(out.contains("SUCCESS"), out);
    }

    @Test
    void everyDashboardQueryParses(@TempDir Path dir) throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DEPLOY.resolve("grafana/estuary-dashboard.json").toFile());
        List<String> exprs = new ArrayList<>();
        dashboard.path("panels").forEach(panel -> panel.path("targets")
                .forEach(target -> exprs.add(target.path("expr").asText())));
        assertFalse(exprs.isEmpty(), "the dashboard has queries");
        // promtool parses PromQL only inside rule files: each query becomes a recording rule.
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        for (int i = 0; i < exprs.size(); i++) {
            rules.append("      - record: dashboard:query").append(i).append('\n')
                    .append("        expr: '").append(exprs.get(i).replace("'", "''")).append("'\n");
        }
        Path file = dir.resolve("dashboard-queries.yml");
        Files.writeString(file, rules);
        String out = promtool("check", "rules", file.toString());
        assertTrue(out.contains("SUCCESS: " + exprs.size() + " rules found"), out);
    }

    static String promtool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("promtool not found: the test command installs Debian's prometheus package", e);
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "promtool finished");
        assertEquals(0, process.exitValue(), out);
        return out;
    }
}
