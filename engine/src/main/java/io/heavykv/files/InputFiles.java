package io.heavykv.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files the user names as input, checked before they are read: a missing file, a folder, or a FIFO or device
 * (which would block a read forever or never end) gets a message naming the file and what it was for.
 */
public final class InputFiles {
    private InputFiles() {
    }

    /**
     * @param what what the file is for, e.g. "prompt file" or "tokenizer"
     * @throws IllegalArgumentException when {@code file} does not exist or is no regular file
     */
    public static Path requireRegular(Path file, String what) {
        if (!Files.exists(file)) throw new IllegalArgumentException("no such file: " + file + " (" + what + ")");
        if (Files.isDirectory(file)) throw new IllegalArgumentException(what + " " + file + " is a folder, not a file");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(what + " " + file + " is not a regular file (a pipe or a device?): give a file");
        }
        return file;
    }

    /**
     * The text of a UTF-8 file.
     *
     * @throws IllegalArgumentException as {@link #requireRegular}, and for bytes that are not UTF-8, naming the
     *                                  byte offset of the first
     */
    public static String readText(Path file, String what) throws IOException {
        byte[] bytes = Files.readAllBytes(requireRegular(file, what));
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isUnderflow()) result = decoder.flush(out);
        if (result.isError()) {
            throw new IllegalArgumentException(what + " " + file + " is not UTF-8 text: invalid byte 0x"
                    + String.format("%02x", bytes[in.position()] & 0xff) + " at byte offset " + in.position());
        }
        return out.flip().toString();
    }
}
