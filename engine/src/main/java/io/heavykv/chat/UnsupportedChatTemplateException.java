package io.heavykv.chat;

/** A chat template heavykv cannot render, or a template name it does not know. */
public class UnsupportedChatTemplateException extends IllegalArgumentException {
    public UnsupportedChatTemplateException(String message) { super(message); }
}
