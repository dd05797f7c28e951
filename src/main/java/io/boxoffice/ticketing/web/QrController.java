package io.boxoffice.ticketing.web;

import java.util.List;

import io.boxoffice.shared.BoxofficeException;
import io.boxoffice.shared.Caller;
import io.boxoffice.shared.ErrorCode;
import io.boxoffice.ticketing.CheckInService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "Tickets", description = "A customer's tickets as images to show at the gate")
class QrController {

	private static final String SVG = "image/svg+xml";

	private final CheckInService checkIns;

	QrController(CheckInService checkIns) {
		this.checkIns = checkIns;
	}

	@GetMapping(path = "/tickets/{code}/qr", produces = { MediaType.IMAGE_PNG_VALUE, SVG })
	@Operation(operationId = "ticketQrCode", summary = "A QR code of a ticket's code (the booking's customer)",
			description = "image/png, or image/svg+xml when the client accepts only that. Anyone but the customer "
					+ "of the ticket's booking gets 404, as does an unknown code.")
	@ApiResponse(responseCode = "200", description = "The QR code of the ticket's code",
			content = {
					@Content(mediaType = MediaType.IMAGE_PNG_VALUE,
							schema = @Schema(type = "string", format = "binary")),
					@Content(mediaType = SVG, schema = @Schema(type = "string")) })
	ResponseEntity<byte[]> qr(Caller caller, @PathVariable String code,
			@RequestHeader(name = HttpHeaders.ACCEPT, required = false) @Nullable String accept) {
		boolean svg = acceptsOnlySvg(accept);
		String owned = this.checkIns.codeOf(caller.id(), code);
		return ResponseEntity.ok()
			.cacheControl(CacheControl.noStore())
			.contentType(svg ? MediaType.parseMediaType(SVG) : MediaType.IMAGE_PNG)
			.body(svg ? QrCodes.svg(owned) : QrCodes.png(owned));
	}

	/** PNG unless the client accepts SVG and not PNG. */
	private static boolean acceptsOnlySvg(@Nullable String accept) {
		if (accept == null || accept.isBlank()) {
			return false;
		}
		List<MediaType> accepted;
		try {
			accepted = MediaType.parseMediaTypes(accept);
		}
		catch (IllegalArgumentException ex) {
			throw new BoxofficeException(ErrorCode.NOT_ACCEPTABLE, "Unreadable Accept header");
		}
		boolean png = accepted.stream()
			.anyMatch(type -> type.getQualityValue() > 0 && type.includes(MediaType.IMAGE_PNG));
		return !png && accepted.stream()
			.anyMatch(type -> type.getQualityValue() > 0 && type.includes(MediaType.parseMediaType(SVG)));
	}

}
