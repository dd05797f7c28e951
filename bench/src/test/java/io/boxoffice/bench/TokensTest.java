package io.boxoffice.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class TokensTest {

	private static final Base64.Decoder URL = Base64.getUrlDecoder();

	@Test
	void aTokenCarriesTheClaimsTheServiceChecksAndTheSignatureOfTheConfiguredKey() throws Exception {
		UUID account = UUID.fromString("6f1c2b9e-0d4a-4c1e-9a7b-3e5f8d2c1a00");
		String[] parts = Tokens.mint(account, "CUSTOMER", Duration.ofHours(2)).split("\\.");
		assertEquals(3, parts.length);
		JsonMapper json = JsonMapper.builder().build();
		assertEquals("HS256", json.readTree(URL.decode(parts[0])).get("alg").asString());
		JsonNode claims = json.readTree(URL.decode(parts[1]));
		assertEquals("boxoffice", claims.get("iss").asString());
		assertEquals(account.toString(), claims.get("sub").asString());
		assertEquals("CUSTOMER", claims.get("role").asString());
		assertEquals(7200, claims.get("exp").asLong() - claims.get("iat").asLong());
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(Base64.getDecoder().decode(Tokens.signingKey()), "HmacSHA256"));
		assertArrayEquals(mac.doFinal((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII)),
				URL.decode(parts[2]));
	}

}
