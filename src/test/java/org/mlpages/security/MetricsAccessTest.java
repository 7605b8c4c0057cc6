package org.mlpages.security;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which requests count as the server's own (the Tomcat in front has already read
 * X-Forwarded-For).
 */
class MetricsAccessTest {

	@ParameterizedTest
	@ValueSource(strings = { "127.0.0.1", "127.0.1.1", "0:0:0:0:0:0:0:1", "::1" })
	void theLoopbackWithoutAProxyIsTheServerItself(String address) {
		assertThat(MetricsAccess.fromTheServerItself(request(address))).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "203.0.113.7", "10.0.0.5", "192.168.1.20", "fe80:0:0:0:0:0:0:1", "localhost",
			"127.0.0.1.example.org", "" })
	void anyOtherAddressIsNot(String address) {
		assertThat(MetricsAccess.fromTheServerItself(request(address))).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Forwarded-Port",
			"X-Forwarded-Prefix", "Forwarded", "X-Real-IP", "x-forwarded-proto" })
	void aRequestAProxyRelayedIsNotEvenFromTheLoopback(String header) {
		MockHttpServletRequest relayed = request("127.0.0.1");
		relayed.addHeader(header, "127.0.0.1");

		assertThat(MetricsAccess.fromTheServerItself(relayed)).isFalse();
	}

	private static MockHttpServletRequest request(String address) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/actuator/prometheus");
		request.setRemoteAddr(address);
		return request;
	}

}
