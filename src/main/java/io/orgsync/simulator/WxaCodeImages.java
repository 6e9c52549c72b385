package io.orgsync.simulator;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Draws a stand-in mini-program code: a JPEG whose grid of cells spells the SHA-256 of scene,
 * page and version, so that different codes differ and the same code is byte-for-byte stable.
 * No fonts are needed (headless machines often have none).
 */
final class WxaCodeImages {
    private static final int CACHE_SIZE = 512;
    private final Map<String, byte[]> cache = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    byte[] render(String scene, String page, String envVersion, int width, Color line) {
        String key = scene + "\n" + page + "\n" + envVersion + "\n" + width + "\n" + line.getRGB();
        synchronized (cache) {
            byte[] hit = cache.get(key);
            if (hit != null) {
                return hit;
            }
        }
        byte[] bytes = draw(key, width, line);
        synchronized (cache) {
            cache.put(key, bytes);
        }
        return bytes;
    }

    private static byte[] draw(String key, int width, Color line) {
        byte[] digest = sha256(key);
        BufferedImage image = new BufferedImage(width, width, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, width);
            g.setColor(line);
            int cells = 16;
            int cell = width / (cells + 2);
            for (int i = 0; i < cells * cells; i++) {
                int bit = (digest[(i / 8) % digest.length] >> (i % 8)) & 1;
                if (bit == 1) {
                    g.fillRect(cell * (1 + i % cells), cell * (1 + i / cells), cell, cell);
                }
            }
            // the three corner marks of a code
            for (int[] corner : new int[][] {{0, 0}, {cells - 3, 0}, {0, cells - 3}}) {
                g.fillRect(cell * (1 + corner[0]), cell * (1 + corner[1]), cell * 3, cell * 3);
            }
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "jpg", out);
        } catch (IOException e) {
            throw new IllegalStateException("JPEG encoding failed", e);
        }
        return out.toByteArray();
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
