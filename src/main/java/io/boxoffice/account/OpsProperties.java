package io.boxoffice.account;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Operator endpoints ({@code boxoffice.ops.*}).
 *
 * @param allowedAddresses client addresses or CIDR ranges that may call operator-only
 * actuator endpoints such as {@code /actuator/consistency}; loopback by default, so an
 * operator runs them on the host (or through a management network named here)
 */
@ConfigurationProperties("boxoffice.ops")
record OpsProperties(@DefaultValue( {
		"127.0.0.0/8", "::1" }) List<String> allowedAddresses){
}
