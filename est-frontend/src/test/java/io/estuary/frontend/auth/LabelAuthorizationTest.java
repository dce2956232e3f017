package io.estuary.frontend.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;

class LabelAuthorizationTest {
    private final LabelAuthorization labels = new LabelAuthorization("est-label:");

    @Test
    void aLabelRoleAllowsThatLabelOnly() {
        Set<String> roles = Set.of("est-label:edge-ca", "offline_access");
        assertTrue(labels.allows(roles, "edge-ca"));
        assertFalse(labels.allows(roles, "tls-server"));
        assertFalse(labels.allows(roles, ""));
    }

    @Test
    void theUnlabelledPathIsTheDefaultLabel() {
        assertEquals("est-label:default", labels.roleFor(""));
        assertTrue(labels.allows(Set.of("est-label:default"), ""));
    }

    @Test
    void theWildcardAllowsEveryLabelAndNoRolesAllowNothing() {
        assertTrue(labels.allows(Set.of("est-label:*"), "anything"));
        assertFalse(labels.allows(Set.of(), "edge-ca"));
        assertFalse(labels.allows(Set.of("edge-ca"), "edge-ca"), "a bare label name is not the role");
    }
}
