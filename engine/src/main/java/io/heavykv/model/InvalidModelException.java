package io.heavykv.model;

/** A model file or its metadata is truncated, corrupt or describes something the engine cannot run. */
public class InvalidModelException extends RuntimeException {
    public InvalidModelException(String message) { super(message); }

    public InvalidModelException(String message, Throwable cause) { super(message, cause); }
}
