package io.boxoffice.ticketing;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.NotFoundException;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import io.boxoffice.support.IntegrationTest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A ticket's QR image, for the customer of its booking only, decodes back to the ticket's
 * code (read by ZXing's reader, as a scanner would).
 */
class TicketQrCodeTest extends IntegrationTest {

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void thePngDecodesBackToTheTicketsCode() throws Exception {
		String customer = this.api.customer();
		String event = this.api.gaEvent(this.api.organizer(), 10);
		String code = book(customer, event, 2).expectStatus(201).json().get("tickets").get(1).get("code").asString();

		for (String accept : new String[] { null, "*/*", "image/png", "image/*", "image/svg+xml, image/png;q=0.5" }) {
			HttpResponse<byte[]> png = qr(code, customer, accept);

			assertThat(png.statusCode()).as(accept).isEqualTo(200);
			assertThat(png.headers().firstValue("Content-Type")).hasValue("image/png");
			assertThat(decode(ImageIO.read(new ByteArrayInputStream(png.body())))).isEqualTo(code);
		}
	}

	@Test
	void aClientThatAcceptsOnlySvgGetsAnSvgThatDecodesBackToTheCode() throws Exception {
		String customer = this.api.customer();
		String event = this.api.gaEvent(this.api.organizer(), 10);
		String code = book(customer, event, 1).expectStatus(201).json().get("tickets").get(0).get("code").asString();

		HttpResponse<byte[]> svg = qr(code, customer, "image/svg+xml");

		assertThat(svg.statusCode()).isEqualTo(200);
		assertThat(svg.headers().firstValue("Content-Type"))
			.hasValueSatisfying(type -> assertThat(type).startsWith("image/svg+xml"));
		String text = new String(svg.body(), StandardCharsets.UTF_8);
		assertThat(text).startsWith("<svg");
		assertThat(decode(rasterize(text))).isEqualTo(code);
	}

	@Test
	void anyoneButTheBookingsCustomerGetsNotFound() throws Exception {
		String organizer = this.api.organizer();
		String customer = this.api.customer();
		String event = this.api.gaEvent(organizer, 10);
		String code = book(customer, event, 1).expectStatus(201).json().get("tickets").get(0).get("code").asString();

		assertThat(qr(code, this.api.customer(), null).statusCode()).isEqualTo(404);
		assertThat(qr(code, organizer, null).statusCode()).isEqualTo(404);
		assertThat(qr("AAAAAAAAAAAAAAAAAAAAAA", customer, null).statusCode()).isEqualTo(404);
		assertThat(qr("AAAAAAAAAAAAAAAAAAAAAA", customer, "image/png").statusCode()).isEqualTo(404);
		assertThat(qr(code, null, null).statusCode()).isEqualTo(401);
	}

	private HttpResponse<byte[]> qr(String code, @Nullable String token, @Nullable String accept)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://localhost:" + port() + "/api/v1/tickets/" + code + "/qr"));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		if (accept != null) {
			request.header("Accept", accept);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
	}

	private static String decode(BufferedImage image) throws Exception {
		try {
			return new QRCodeReader()
				.decode(new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image))))
				.getText();
		}
		catch (NotFoundException ex) {
			throw new AssertionError("No QR code in the image", ex);
		}
	}

	/** Paints the SVG's modules ("Mx yh1v1h-1z", one unit each) 8 pixels a module. */
	private static BufferedImage rasterize(String svg) {
		Matcher box = Pattern.compile("viewBox=\"0 0 (\\d+) (\\d+)\"").matcher(svg);
		assertThat(box.find()).isTrue();
		int scale = 8;
		BufferedImage image = new BufferedImage(Integer.parseInt(box.group(1)) * scale,
				Integer.parseInt(box.group(2)) * scale, BufferedImage.TYPE_INT_RGB);
		for (int x = 0; x < image.getWidth(); x++) {
			for (int y = 0; y < image.getHeight(); y++) {
				image.setRGB(x, y, 0xFFFFFF);
			}
		}
		Matcher module = Pattern.compile("M(\\d+) (\\d+)h1v1h-1z").matcher(svg);
		while (module.find()) {
			int left = Integer.parseInt(module.group(1)) * scale;
			int top = Integer.parseInt(module.group(2)) * scale;
			for (int x = left; x < left + scale; x++) {
				for (int y = top; y < top + scale; y++) {
					image.setRGB(x, y, 0);
				}
			}
		}
		return image;
	}

}
