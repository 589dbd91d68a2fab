package io.heavykv.tokenizer;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns generated token ids into text as they arrive. Byte-fallback tokens may split one character over several
 * ids, so bytes of an unfinished UTF-8 sequence are held back until the rest arrives; malformed bytes come out
 * as U+FFFD rather than stalling the stream. One decoder per generated sequence; not thread-safe.
 */
public final class StreamingDecoder {
    private final Tokenizer tokenizer;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    /** Bytes not yet decoded: at most an incomplete UTF-8 sequence between calls (3 bytes) plus one piece. */
    private ByteBuffer pending = ByteBuffer.allocate(64);
    private CharBuffer chars = CharBuffer.allocate(64);
    private int previous = -1;

    StreamingDecoder(Tokenizer tokenizer) { this.tokenizer = tokenizer; }

    /** The text that {@code token} completes; empty while a multi-byte character is still unfinished. */
    public String next(int token) {
        byte[] bytes = tokenizer.outputBytes(previous, token);
        previous = token;
        if (pending.remaining() < bytes.length) {
            ByteBuffer bigger = ByteBuffer.allocate(pending.position() + bytes.length + 64);
            pending = bigger.put(pending.flip());
        }
        pending.put(bytes);
        return drain(false);
    }

    /** Whatever is left at the end of the stream; an unfinished character becomes U+FFFD. */
    public String finish() {
        String rest = drain(true);
        utf8.reset();
        previous = -1;
        return rest;
    }

    private String drain(boolean endOfInput) {
        pending.flip();
        if (chars.capacity() < pending.remaining() + 1) chars = CharBuffer.allocate(pending.remaining() + 64);
        chars.clear();
        utf8.decode(pending, chars, endOfInput);
        if (endOfInput) utf8.flush(chars);
        pending.compact();
        return chars.flip().toString();
    }
}
