package io.estuary.testkit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The rule every module follows: its packages depend downward only, and never in a cycle. A module names, for each of
 * its packages, the packages below it that it may import; any other import between the module's packages fails.
 */
public final class PackageRules {
    private final String root;
    private final Map<String, Set<String>> allowed = new LinkedHashMap<>();

    private PackageRules(String root) {
        this.root = root;
    }

    /** Rules for the packages directly under {@code root}, such as {@code io.estuary.frontend}. */
    public static PackageRules under(String root) {
        return new PackageRules(root);
    }

    /** Declares {@code name} and the packages of this module it may import; importing itself is always allowed. */
    public PackageRules layer(String name, String... mayImport) {
        allowed.put(name, Set.of(mayImport));
        return this;
    }

    /**
     * Checks the production classes of the module: no class imports a sibling package it is not allowed, no class
     * sits in a package the rules do not name, and the packages form no cycle. Fails with ArchUnit's report.
     */
    public void check() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(root);
        if (classes.isEmpty()) {
            throw new AssertionError("no classes found under " + root);
        }
        List<String> named = allowed.keySet().stream().map(p -> root + "." + p + "..").toList();
        noClasses().should().resideOutsideOfPackages(named.toArray(String[]::new))
                .as("every class of " + root + " sits in one of its named packages " + allowed.keySet())
                .check(classes);
        for (Map.Entry<String, Set<String>> layer : allowed.entrySet()) {
            String[] forbidden = allowed.keySet().stream()
                    .filter(other -> !other.equals(layer.getKey()) && !layer.getValue().contains(other))
                    .map(other -> root + "." + other + "..").toArray(String[]::new);
            if (forbidden.length == 0) {
                continue;
            }
            noClasses().that().resideInAPackage(root + "." + layer.getKey() + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(forbidden)
                    .as(root + "." + layer.getKey() + " imports only " + layer.getValue())
                    .check(classes);
        }
        slices().matching(root + ".(*)..").should().beFreeOfCycles().check(classes);
    }
}
