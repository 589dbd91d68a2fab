package io.heavykv.tokenizer;

import java.nio.charset.StandardCharsets;

/**
 * GPT-2's reversible byte-to-character mapping: byte-level BPE vocabularies spell every byte as one printable
 * character (the printable Latin-1 bytes as themselves, the other 68 as U+0100 onwards, in byte order), so
 * merges never see raw control bytes or spaces.
 */
final class ByteLevel {
    private static final char[] CHAR_OF_BYTE = new char[256];
    /** Byte per character below U+0144 (the highest mapped character), -1 for characters no byte maps to. */
    private static final int[] BYTE_OF_CHAR = new int[0x144];

    static {
        java.util.Arrays.fill(BYTE_OF_CHAR, -1);
        int shifted = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) (256 + shifted++);
            CHAR_OF_BYTE[b] = c;
            BYTE_OF_CHAR[c] = b;
        }
    }

    private ByteLevel() {}

    /** {@code text}'s UTF-8 bytes, one mapped character each. */
    static String encode(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        char[] out = new char[utf8.length];
        for (int i = 0; i < utf8.length; i++) out[i] = CHAR_OF_BYTE[utf8[i] & 0xFF];
        return new String(out);
    }

    /** The bytes a piece spells; a character no byte maps to stays its own UTF-8. */
    static byte[] decode(String piece) {
        var out = new java.io.ByteArrayOutputStream(piece.length());
        piece.codePoints().forEach(cp -> {
            if (cp < BYTE_OF_CHAR.length && BYTE_OF_CHAR[cp] >= 0) {
                out.write(BYTE_OF_CHAR[cp]);
            } else {
                out.writeBytes(Character.toString(cp).getBytes(StandardCharsets.UTF_8));
            }
        });
        return out.toByteArray();
    }
}
