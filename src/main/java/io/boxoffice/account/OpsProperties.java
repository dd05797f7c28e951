package io.boxoffice.account;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Operator endpoints ({@code boxoffice.ops.*}).
 *
 * @param allowedAddresses client addresses or CIDR ranges that may call the operator-only
 * endpoints {@code /actuator/prometheus} and {@code /actuator/consistency} (anyone else
 * gets 403); loopback by default, so an operator runs them on the host, and a Prometheus
 * server elsewhere is named here
 */
@ConfigurationProperties("boxoffice.ops")
record OpsProperties(@DefaultValue( {
		"127.0.0.0/8", "::1" }) List<String> allowedAddresses){
}
