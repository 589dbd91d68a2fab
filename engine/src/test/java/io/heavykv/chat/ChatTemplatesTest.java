package io.heavykv.chat;

import io.heavykv.model.GgufWriter;
import io.heavykv.testing.SharedModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChatTemplatesTest {
    @TempDir
    Path tmp;

    private Path ggufWith(String template) throws Exception {
        GgufWriter writer = new GgufWriter().putString("general.architecture", "llama");
        if (template != null) writer.putString(ChatTemplates.KEY, template);
        Path file = tmp.resolve("chat.gguf");
        writer.write(file);
        return file;
    }

    @Test
    void readsTheFormatFromTheModelsOwnTemplate() throws Exception {
        Path file = ggufWith("{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n'}}{% endfor %}");
        assertThat(ChatTemplates.formatOf(file, Optional.empty())).isEqualTo(ChatFormat.CHATML);
    }

    @Test
    void aNamedTemplateWinsOverTheModels() throws Exception {
        Path file = ggufWith("{{ '<|im_start|>' }}");
        assertThat(ChatTemplates.formatOf(file, Optional.of("llama3"))).isEqualTo(ChatFormat.LLAMA3);
    }

    @Test
    void aModelWithoutTemplateAsksForOne() throws Exception {
        Path gguf = ggufWith(null);
        assertThatThrownBy(() -> ChatTemplates.formatOf(gguf, Optional.empty()))
                .isInstanceOf(UnsupportedChatTemplateException.class).hasMessageContaining(ChatTemplates.KEY)
                .hasMessageContaining("--chat-template");
        Path checkpoint = SharedModels.defaultModel().resolve("stories260K.bin");
        assertThatThrownBy(() -> ChatTemplates.formatOf(checkpoint, Optional.empty()))
                .isInstanceOf(UnsupportedChatTemplateException.class).hasMessageContaining("only GGUF");
    }
}
