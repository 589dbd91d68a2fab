package io.heavykv.chat;

import io.heavykv.model.GgufReader;
import io.heavykv.model.ModelLoader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the chat format of a model file: the one named, or the one its GGUF {@code tokenizer.chat_template} is written for. */
public final class ChatTemplates {
    /** The GGUF key holding the model's Jinja chat template. */
    public static final String KEY = "tokenizer.chat_template";

    private ChatTemplates() {
    }

    /** {@code named} when given, else the format of {@code model}'s own template. */
    public static ChatFormat formatOf(Path model, Optional<String> named) throws IOException {
        if (named.isPresent()) return ChatFormat.named(named.get());
        if (!ModelLoader.isGguf(model)) {
            throw new UnsupportedChatTemplateException(model + " carries no chat template (only GGUF files do); name one with --chat-template");
        }
        Object template = GgufReader.header(model).metadata().get(KEY);
        if (!(template instanceof String text)) {
            throw new UnsupportedChatTemplateException(model + " has no " + KEY + "; name a chat template with --chat-template");
        }
        return ChatFormat.detect(text);
    }
}
