package io.heavykv.bench.reference;

/** The llama.cpp reference tool ran and refused the job, e.g. a model file llama.cpp cannot read; the message is its own. */
public final class ReferenceFailedException extends RuntimeException {
    public ReferenceFailedException(String message) {
        super(message);
    }
}
