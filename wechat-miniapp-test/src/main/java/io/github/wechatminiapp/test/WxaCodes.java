package io.github.wechatminiapp.test;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import javax.imageio.ImageIO;

/**
 * The images the sandbox answers for {@code getwxacodeunlimit}: a small black and white
 * PNG drawn from the scene's SHA-256, so that two scenes give two images and one scene
 * always the same.
 */
final class WxaCodes {

	private static final int CELLS = 16;

	private static final int CELL_PIXELS = 8;

	private WxaCodes() {
	}

	static byte[] png(String scene) {
		byte[] digest = sha256(scene);
		int size = CELLS * CELL_PIXELS;
		BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_BINARY);
		for (int cell = 0; cell < CELLS * CELLS; cell++) {
			boolean dark = ((digest[(cell / 8) % digest.length] >> (cell % 8)) & 1) == 1;
			int rgb = dark ? 0x000000 : 0xFFFFFF;
			int x0 = (cell % CELLS) * CELL_PIXELS;
			int y0 = (cell / CELLS) * CELL_PIXELS;
			for (int y = y0; y < y0 + CELL_PIXELS; y++) {
				for (int x = x0; x < x0 + CELL_PIXELS; x++) {
					image.setRGB(x, y, rgb);
				}
			}
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try {
			ImageIO.write(image, "png", out);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toByteArray();
	}

	private static byte[] sha256(String scene) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(scene.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
