package io.heavykv.tokenizer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads llama2.c's {@code tokenizer.bin} format: int32 max_token_length, then per piece a float32 score, an
 * int32 byte length and the piece's UTF-8 bytes, all little-endian, until the end of the file. The format does
 * not store the piece count (llama2.c takes it from the checkpoint), so every piece up to EOF is read and
 * {@link Tokenizer#requireVocabularySize(int)} checks it against the model.
 */
public final class Llama2cTokenizerFile {
    /** llama2.c's convention: id 1 is {@code <s>}, id 2 is {@code </s>}. */
    public static final int BOS_ID = 1;
    public static final int EOS_ID = 2;

    /** Real tokenizer files are a few MB; anything far larger is not one, and must not be read into memory. */
    static final long MAX_FILE_BYTES = 256L << 20;
    /** Longest piece any sentencepiece vocabulary uses is a few dozen bytes; this leaves ample room. */
    static final int MAX_PIECE_BYTES = 1 << 16;

    private Llama2cTokenizerFile() {}

    public static Vocabulary read(Path file) throws IOException {
        ByteBuffer buf;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > MAX_FILE_BYTES) {
                throw corrupt(file, 0, "file is " + size + " bytes, more than the " + MAX_FILE_BYTES
                        + " a tokenizer file can plausibly need");
            }
            buf = ByteBuffer.allocate((int) size);
            while (buf.hasRemaining() && ch.read(buf) >= 0) {
                // keep reading: a channel may return fewer bytes than asked for
            }
            buf.flip().order(ByteOrder.LITTLE_ENDIAN);
        }
        return parse(file, buf);
    }

    private static Vocabulary parse(Path file, ByteBuffer buf) {
        need(file, buf, 4, "max_token_length");
        int maxTokenLength = buf.getInt();
        if (maxTokenLength <= 0 || maxTokenLength > MAX_PIECE_BYTES) {
            throw corrupt(file, 0, "max_token_length is " + maxTokenLength + ", expected 1.." + MAX_PIECE_BYTES);
        }
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        List<String> pieces = new ArrayList<>();
        float[] scores = new float[64];
        while (buf.hasRemaining()) {
            int id = pieces.size();
            int start = buf.position();
            need(file, buf, 8, "score and length of piece " + id);
            float score = buf.getFloat();
            if (Float.isNaN(score)) throw corrupt(file, start, "score of piece " + id + " is NaN");
            int lengthOffset = buf.position();
            int length = buf.getInt();
            if (length < 0 || length > maxTokenLength) {
                throw corrupt(file, lengthOffset, "piece " + id + " has length " + length
                        + ", expected 0.." + maxTokenLength + " (max_token_length)");
            }
            need(file, buf, length, "the " + length + " bytes of piece " + id);
            int bytesOffset = buf.position();
            ByteBuffer bytes = buf.slice(bytesOffset, length);
            buf.position(bytesOffset + length);
            try {
                pieces.add(decoder.decode(bytes).toString());
            } catch (CharacterCodingException e) {
                throw corrupt(file, bytesOffset, "piece " + id + " is not valid UTF-8");
            }
            if (id == scores.length) scores = Arrays.copyOf(scores, id * 2);
            scores[id] = score;
        }
        if (pieces.size() <= EOS_ID) {
            throw corrupt(file, buf.position(), "only " + pieces.size() + " pieces; llama2.c vocabularies need at least "
                    + (EOS_ID + 1) + " (<unk>, <s>, </s>)");
        }
        return new Vocabulary(pieces, Arrays.copyOf(scores, pieces.size()), BOS_ID, EOS_ID);
    }

    private static void need(Path file, ByteBuffer buf, int bytes, String what) {
        if (buf.remaining() < bytes) {
            throw corrupt(file, buf.position(), "truncated: " + what + " needs " + bytes + " bytes but only "
                    + buf.remaining() + " remain");
        }
    }

    private static InvalidTokenizerException corrupt(Path file, long offset, String problem) {
        return new InvalidTokenizerException("tokenizer file " + file + " at offset " + offset + ": " + problem);
    }
}
