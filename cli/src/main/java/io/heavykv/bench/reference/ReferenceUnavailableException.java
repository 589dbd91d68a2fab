package io.heavykv.bench.reference;

/**
 * The llama.cpp reference tool cannot run here at all (no checkout around it, no node, not installed): a fact
 * about the machine, told with what to run, never a verdict on heavykv or on the model.
 */
public final class ReferenceUnavailableException extends RuntimeException {
    public ReferenceUnavailableException(String message) {
        super(message);
    }
}
