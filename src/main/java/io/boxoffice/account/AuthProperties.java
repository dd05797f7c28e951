package io.boxoffice.account;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Token and login settings ({@code boxoffice.auth.*}).
 *
 * @param signingKey base64 of a key of at least 32 bytes for HMAC-SHA256 token
 * signatures; when unset, a random key is generated once and shared through the database,
 * so every instance accepts every other instance's tokens
 * @param previousSigningKeys base64 keys that tokens are still accepted from but never
 * signed with: during a key rotation, the key being replaced (docs/security.md)
 * @param tokenTtl how long an access token is valid (default one hour)
 * @param loginWindow the window failed logins are counted in
 * @param loginFailuresPerAccount failed logins for one account from one client address
 * within the window before further attempts at it from there are refused with 429 until
 * the window ends (other addresses, the owner's, are not affected)
 * @param loginFailuresPerAddress failed logins from one client address, for any accounts,
 * within the window before further attempts from there are refused with 429 until the
 * window ends
 * @param registrationsPerAddressPerMinute registration attempts from one client address
 * per minute before further ones are refused with 429 until the minute ends
 */
@ConfigurationProperties("boxoffice.auth")
record AuthProperties(@Nullable String signingKey, @DefaultValue List<String> previousSigningKeys,
		@DefaultValue("1h") Duration tokenTtl, @DefaultValue("5m") Duration loginWindow,
		@DefaultValue("5") int loginFailuresPerAccount, @DefaultValue("30") int loginFailuresPerAddress,
		@DefaultValue("20") int registrationsPerAddressPerMinute) {
}
