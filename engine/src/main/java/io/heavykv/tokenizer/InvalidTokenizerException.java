package io.heavykv.tokenizer;

/** A tokenizer file is truncated or corrupt, or a tokenizer does not fit the model it is paired with. */
public class InvalidTokenizerException extends RuntimeException {
    public InvalidTokenizerException(String message) { super(message); }

    public InvalidTokenizerException(String message, Throwable cause) { super(message, cause); }
}
