package io.estuary.frontend.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;

/**
 * The EST listener's key manager: it presents whichever key and chain were installed last, from the next handshake
 * on, so a rotated certificate needs no new TLS context. (Vert.x 4.5 resets the connections it accepts while it swaps
 * a server's context, and a new context ends the sessions clients resume.) Each installed pair gets its own aliases,
 * because OpenSSL keeps its form of a pair by alias ({@code OpenSslCachingX509KeyManagerFactory}); the pair before
 * stays reachable for a handshake that chose its alias just before the swap.
 */
final class ListenerKeyManager extends X509ExtendedKeyManager {
    /** One installed pair, its aliases prefixed with its number. */
    private record Generation(long number, X509KeyManager keys) {
        String alias(String delegateAlias) {
            return delegateAlias == null ? null : number + ":" + delegateAlias;
        }

        String delegateAlias(String alias) {
            String prefix = number + ":";
            return alias != null && alias.startsWith(prefix) ? alias.substring(prefix.length()) : null;
        }
    }

    private volatile Generation current;
    private volatile Generation previous;

    /** Presents {@code keys} (a key manager over one key and its chain) from the next handshake on. */
    synchronized void install(X509KeyManager keys) {
        Generation before = current;
        previous = before;
        current = new Generation(before == null ? 1 : before.number() + 1, keys);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        Generation now = current;
        return now == null ? null : now.alias(now.keys().chooseServerAlias(keyType, issuers, socket));
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        Generation now = current;
        if (now == null) {
            return null;
        }
        return now.alias(now.keys() instanceof X509ExtendedKeyManager extended
                ? extended.chooseEngineServerAlias(keyType, issuers, engine)
                : now.keys().chooseServerAlias(keyType, issuers, null));
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        Generation now = current;
        String[] aliases = now == null ? null : now.keys().getServerAliases(keyType, issuers);
        if (aliases == null) {
            return null;
        }
        String[] ours = new String[aliases.length];
        for (int i = 0; i < aliases.length; i++) {
            ours[i] = now.alias(aliases[i]);
        }
        return ours;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Generation generation = givenBy(alias);
        return generation == null ? null : generation.keys().getCertificateChain(generation.delegateAlias(alias));
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Generation generation = givenBy(alias);
        return generation == null ? null : generation.keys().getPrivateKey(generation.delegateAlias(alias));
    }

    /** The installed pair (the current one or the one before) that gave this alias, if any. */
    private Generation givenBy(String alias) {
        for (Generation generation : new Generation[] { current, previous }) {
            if (generation != null && generation.delegateAlias(alias) != null) {
                return generation;
            }
        }
        return null;
    }

    // A server's key manager: the listener never authenticates as a client.
    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return null;
    }
}
