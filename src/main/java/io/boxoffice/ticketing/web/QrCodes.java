package io.boxoffice.ticketing.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.client.j2se.MatrixToImageWriter;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;

/**
 * QR codes of ticket codes, encoded by ZXing: PNG through ZXing's image writer, SVG as
 * one path of the encoded modules.
 */
final class QrCodes {

	/** Pixels a side of the PNG, quiet zone included. */
	private static final int PNG_SIZE = 320;

	/** The quiet zone the QR standard asks for, in modules. */
	private static final int QUIET_ZONE = 4;

	private QrCodes() {
	}

	static byte[] png(String code) {
		BitMatrix matrix = encode(code, PNG_SIZE);
		ByteArrayOutputStream png = new ByteArrayOutputStream();
		try {
			MatrixToImageWriter.writeToStream(matrix, "PNG", png);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return png.toByteArray();
	}

	/** One module per unit, scaled by the viewer. */
	static byte[] svg(String code) {
		BitMatrix matrix = encode(code, 0);
		int width = matrix.getWidth();
		int height = matrix.getHeight();
		StringBuilder path = new StringBuilder();
		for (int y = 0; y < height; y++) {
			for (int x = 0; x < width; x++) {
				if (matrix.get(x, y)) {
					path.append('M').append(x).append(' ').append(y).append("h1v1h-1z");
				}
			}
		}
		String svg = """
				<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" \
				shape-rendering="crispEdges"><rect width="100%%" height="100%%" fill="#fff"/>\
				<path fill="#000" d="%s"/></svg>
				""".formatted(width, height, width * 8, height * 8, path);
		return svg.getBytes(StandardCharsets.UTF_8);
	}

	private static BitMatrix encode(String code, int size) {
		try {
			return new QRCodeWriter().encode(code, BarcodeFormat.QR_CODE, size, size,
					Map.of(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M, EncodeHintType.MARGIN, QUIET_ZONE));
		}
		catch (WriterException ex) {
			throw new IllegalStateException("A ticket code does not fit a QR code", ex);
		}
	}

}
