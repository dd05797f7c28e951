package io.boxoffice.account;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Token settings ({@code boxoffice.auth.*}).
 *
 * @param signingKey base64 of a key of at least 32 bytes for HMAC-SHA256 token
 * signatures; when unset, a random key is generated once and shared through the database,
 * so every instance accepts every other instance's tokens
 * @param tokenTtl how long an access token is valid (default one hour)
 */
@ConfigurationProperties("boxoffice.auth")
record AuthProperties(@Nullable String signingKey, @DefaultValue("1h") Duration tokenTtl) {
}
