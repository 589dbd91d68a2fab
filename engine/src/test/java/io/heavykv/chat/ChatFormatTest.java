package io.heavykv.chat;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChatFormatTest {
    // Abridged from the templates the models ship in tokenizer.chat_template; only the markers matter here.
    private static final String SMOLLM2 = "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}"
            + "{{ '<|im_start|>system\\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\\n' }}"
            + "{% endif %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
    private static final String LLAMA3 = "{% set loop_messages = messages %}{% for message in loop_messages %}"
            + "{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' %}"
            + "{{ content }}{% endfor %}";
    private static final String LLAMA2 = "{% if messages[0]['role'] == 'system' %}{% set system_message = '<<SYS>>\\n' + messages[0]['content'] | trim + '\\n<</SYS>>\\n\\n' %}"
            + "{% endif %}{{ bos_token + '[INST] ' + content.strip() + ' [/INST]' }}";
    private static final String MISTRAL_INSTRUCT = "{{ bos_token }}{% for message in messages %}{% if message['role'] == 'user' %}"
            + "{{ '[INST] ' + message['content'] + ' [/INST]' }}{% else %}{{ message['content'] + eos_token}}{% endif %}{% endfor %}";
    private static final String PHI4 = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '<|im_sep|>' + message['content'] + '<|im_end|>'}}{% endfor %}";

    private final List<ChatMessage> question = List.of(ChatMessage.user("What is the capital of France?"));

    @Test
    void recognisesEachFamilyByItsMarkers() {
        assertThat(ChatFormat.detect(SMOLLM2)).isEqualTo(ChatFormat.CHATML);
        assertThat(ChatFormat.detect(LLAMA3)).isEqualTo(ChatFormat.LLAMA3);
        assertThat(ChatFormat.detect(LLAMA2)).isEqualTo(ChatFormat.LLAMA2_SYS_STRIP);
        assertThat(ChatFormat.detect(MISTRAL_INSTRUCT)).isEqualTo(ChatFormat.LLAMA2);
    }

    @Test
    void refusesTemplatesItWouldOnlyApproximate() {
        assertThatThrownBy(() -> ChatFormat.detect(PHI4)).isInstanceOf(UnsupportedChatTemplateException.class)
                .hasMessageContaining("chatml").hasMessageContaining("--chat-template");
        assertThatThrownBy(() -> ChatFormat.detect("{{ messages }}")).isInstanceOf(UnsupportedChatTemplateException.class);
    }

    @Test
    void chatmlOpensTheAssistantTurn() {
        assertThat(ChatFormat.CHATML.render(question, true))
                .isEqualTo("<|im_start|>user\nWhat is the capital of France?<|im_end|>\n<|im_start|>assistant\n");
        assertThat(ChatFormat.CHATML.render(question, false)).doesNotContain("assistant");
    }

    @Test
    void llama3TrimsContentsAndOpensTheAssistantHeader() {
        String prompt = ChatFormat.LLAMA3.render(List.of(ChatMessage.system(" Be brief. "), question.get(0)), true);
        assertThat(prompt).isEqualTo("<|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\nWhat is the capital of France?<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n");
    }

    @Test
    void llama2PutsTheSystemPromptInsideTheFirstTurn() {
        List<ChatMessage> chat = List.of(ChatMessage.system("Be brief."), ChatMessage.user("Hi"),
                ChatMessage.assistant("Hello"), ChatMessage.user("Capital of France?"));
        assertThat(ChatFormat.LLAMA2_SYS.render(chat, true))
                .isEqualTo("[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\nHi [/INST]Hello</s>[INST] Capital of France? [/INST]");
        assertThat(ChatFormat.LLAMA2.render(chat, true))
                .isEqualTo("[INST] Be brief.\nHi [/INST]Hello</s>[INST] Capital of France? [/INST]");
        assertThat(ChatFormat.LLAMA2_SYS_BOS.render(chat, true)).contains("Hello</s><s>[INST] Capital");
        assertThat(ChatFormat.LLAMA2_SYS_STRIP.render(List.of(ChatMessage.user("  Hi  ")), true)).isEqualTo("[INST] Hi [/INST]");
    }

    @Test
    void mistralFormatsCloseAnswersWithEos() {
        List<ChatMessage> chat = List.of(ChatMessage.user("Hi"), ChatMessage.assistant(" Hello "), ChatMessage.user("Bye"));
        assertThat(ChatFormat.MISTRAL_V3.render(chat, true)).isEqualTo("[INST] Hi[/INST] Hello</s>[INST] Bye[/INST]");
        assertThat(ChatFormat.MISTRAL_V7.render(List.of(ChatMessage.system("S"), ChatMessage.user("U")), true))
                .isEqualTo("[SYSTEM_PROMPT] S[/SYSTEM_PROMPT][INST] U[/INST]");
    }

    @Test
    void namesFollowLlamaCpp() {
        assertThat(ChatFormat.named("chatml")).isEqualTo(ChatFormat.CHATML);
        assertThat(ChatFormat.named("LLAMA3")).isEqualTo(ChatFormat.LLAMA3);
        assertThat(ChatFormat.named("mistral-v7")).isEqualTo(ChatFormat.MISTRAL_V7);
        assertThatThrownBy(() -> ChatFormat.named("gemma")).hasMessageContaining("gemma").hasMessageContaining("llama2-sys");
    }
}
