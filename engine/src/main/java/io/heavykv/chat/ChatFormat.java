package io.heavykv.chat;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The chat prompt formats heavykv renders, each recognised in a model's {@code tokenizer.chat_template} by
 * the markers its Jinja template must contain, as llama.cpp recognises them. Rendering follows llama.cpp's
 * built-in renderings rather than interpreting the Jinja text, so a prompt here tokenizes to what llama.cpp
 * feeds the same model; the special markers it produces are meant to be tokenized with special-token parsing
 * on. The BOS token is not part of the text: the tokenizer adds it as the model's metadata asks.
 */
public enum ChatFormat {
    /** {@code <|im_start|>role\ncontent<|im_end|>\n}: SmolLM2, Qwen2 and many fine-tunes. */
    CHATML("chatml") {
        @Override
        void render(List<ChatMessage> messages, boolean addAssistant, StringBuilder out) {
            for (ChatMessage m : messages) {
                out.append("<|im_start|>").append(m.role()).append('\n').append(m.content()).append("<|im_end|>\n");
            }
            if (addAssistant) out.append("<|im_start|>assistant\n");
        }
    },
    /** Llama 3: headers around the role, turns closed by {@code <|eot_id|>}, contents trimmed. */
    LLAMA3("llama3") {
        @Override
        void render(List<ChatMessage> messages, boolean addAssistant, StringBuilder out) {
            for (ChatMessage m : messages) {
                header(out, m.role()).append(m.content().strip()).append("<|eot_id|>");
            }
            if (addAssistant) header(out, "assistant");
        }

        private StringBuilder header(StringBuilder out, String role) {
            return out.append("<|start_header_id|>").append(role).append("<|end_header_id|>\n\n");
        }
    },
    /** Llama 2 chat without a system slot: a system message is written as plain text before the first question. */
    LLAMA2("llama2") {
        @Override
        void render(List<ChatMessage> messages, boolean addAssistant, StringBuilder out) {
            llama2(messages, out, false, false, false);
        }
    },
    /** Llama 2 chat: {@code [INST] <<SYS>>\nsystem\n<</SYS>>\n\nuser [/INST]answer</s>}. */
    LLAMA2_SYS("llama2-sys") {
        @Override
        void render(List<ChatMessage> messages, boolean addAssistant, StringBuilder out) {
            llama2(messages, out, true, false, false);
        }
    },
    /** Llama 2 chat with {@code <s>} written before every later turn. */
    LLAMA2_SYS_BOS("llama2-sys-bos") {
        @Override
        void render(List<ChatMessage> messages, boolean addAssistant, StringBuilder out) {
            llama2(messages, out, true, true, false);
        }
    },
    /** Llama 2 chat with every message trimmed, as Meta's own template does ({@code content.strip()}). */
    LLAMA2_SYS_STRIP("llama2-sys-strip") {
        @Override
        void render(List<ChatMessage> messages, boolean addAssistant, StringBuilder out) {
            llama2(messages, out, true, false, true);
        }
    },
    /** Mistral's v3 instruct format: {@code [INST] user[/INST] answer</s>}, system text opening its turn. */
    MISTRAL_V3("mistral-v3") {
        @Override
        void render(List<ChatMessage> messages, boolean addAssistant, StringBuilder out) {
            boolean insideTurn = false;
            for (ChatMessage m : messages) {
                if (!insideTurn) {
                    out.append("[INST] ");
                    insideTurn = true;
                }
                switch (m.role()) {
                    case "system" -> out.append(m.content()).append("\n\n");
                    case "user" -> out.append(m.content()).append("[/INST]");
                    default -> {
                        out.append(' ').append(m.content().strip()).append("</s>");
                        insideTurn = false;
                    }
                }
            }
        }
    },
    /** Mistral's v7 format, with a system prompt of its own: {@code [SYSTEM_PROMPT] s[/SYSTEM_PROMPT][INST] u[/INST]}. */
    MISTRAL_V7("mistral-v7") {
        @Override
        void render(List<ChatMessage> messages, boolean addAssistant, StringBuilder out) {
            for (ChatMessage m : messages) {
                switch (m.role()) {
                    case "system" -> out.append("[SYSTEM_PROMPT] ").append(m.content()).append("[/SYSTEM_PROMPT]");
                    case "user" -> out.append("[INST] ").append(m.content()).append("[/INST]");
                    default -> out.append(' ').append(m.content()).append("</s>");
                }
            }
        }
    };

    private final String label;

    ChatFormat(String label) { this.label = label; }

    /** Llama 2's turns; the first [INST] is written up front because the tokenizer's BOS already opens that turn. */
    private static void llama2(List<ChatMessage> messages, StringBuilder out, boolean systemSlot, boolean bosInside,
                               boolean strip) {
        boolean insideTurn = true;
        out.append("[INST] ");
        for (ChatMessage m : messages) {
            String content = strip ? m.content().strip() : m.content();
            if (!insideTurn) {
                out.append(bosInside ? "<s>[INST] " : "[INST] ");
                insideTurn = true;
            }
            switch (m.role()) {
                case "system" -> {
                    if (systemSlot) out.append("<<SYS>>\n").append(content).append("\n<</SYS>>\n\n");
                    else out.append(content).append('\n');
                }
                case "user" -> out.append(content).append(" [/INST]");
                default -> {
                    out.append(content).append("</s>");
                    insideTurn = false;
                }
            }
        }
    }

    /** The name llama.cpp gives this format ({@code --chat-template NAME} accepts it). */
    public String label() { return label; }

    abstract void render(List<ChatMessage> messages, boolean addAssistant, StringBuilder out);

    /** The prompt text for {@code messages}, ending with the assistant's turn opened when {@code addAssistant}. */
    public String render(List<ChatMessage> messages, boolean addAssistant) {
        if (messages.isEmpty()) throw new IllegalArgumentException("a chat prompt needs at least one message");
        StringBuilder out = new StringBuilder();
        render(messages, addAssistant, out);
        return out.toString();
    }

    /**
     * The format a Jinja chat template is written for, recognised by its markers. Variants heavykv does not
     * render (Mistral v1 and the Tekken formats, Phi 4, SmolVLM) are refused rather than
     * approximated, since a near-miss prompt silently degrades the answers.
     */
    public static ChatFormat detect(String template) {
        if (template.contains("<|im_start|>") && !template.contains("<|im_sep|>") && !template.contains("<end_of_utterance>")) {
            return CHATML;
        }
        if (template.contains("<|start_header_id|>") && template.contains("<|end_header_id|>")) return LLAMA3;
        if (template.contains("[INST]")) {
            if (template.contains("[SYSTEM_PROMPT]")) {
                if (!template.contains("\"[INST]\"")) return MISTRAL_V7;
            } else if (template.contains("' [INST] ' + system_message") || template.contains("[AVAILABLE_TOOLS]")) {
                if (!template.contains(" [INST]") && !template.contains("\"[INST]\"")) return MISTRAL_V3;
            } else if (template.contains("content.strip()")) {
                return LLAMA2_SYS_STRIP;
            } else if (template.contains("bos_token + '[INST]")) {
                return LLAMA2_SYS_BOS;
            } else {
                return template.contains("<<SYS>>") ? LLAMA2_SYS : LLAMA2;
            }
        }
        throw new UnsupportedChatTemplateException("the model's chat template is none heavykv renders ("
                + supported() + "); name one with --chat-template");
    }

    /** The format called {@code name} (its llama.cpp name, or the enum's), case-insensitively. */
    public static ChatFormat named(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        for (ChatFormat f : values()) {
            if (f.label.equals(wanted) || f.name().toLowerCase(Locale.ROOT).equals(wanted)) return f;
        }
        throw new UnsupportedChatTemplateException("unknown chat template '" + name + "'; supported: " + supported());
    }

    private static String supported() {
        return Arrays.stream(values()).map(ChatFormat::label).collect(Collectors.joining(", "));
    }
}
