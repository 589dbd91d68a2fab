import io.heavykv.runtime.Engine;
import io.heavykv.tokenizer.Tokenizer;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Counts tokens for sample.py without a JVM start per count: reads texts from stdin, each as one line with
 * backslash, newline and carriage return escaped (\\, \n, \r), and prints each one's token count without BOS.
 * Run as {@code java -cp engine/target/heavykv-engine-0.1.0-SNAPSHOT.jar tools/prose/TokenCount.java MODEL}.
 */
public final class TokenCount {
    public static void main(String[] args) throws Exception {
        Tokenizer tokenizer = Engine.loadTokenizer(Path.of(args[0]), Optional.empty());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            System.out.println(tokenizer.encode(unescape(line), false, false).length);
            System.out.flush();
        }
    }

    private static String unescape(String line) {
        StringBuilder text = new StringBuilder(line.length());
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                char e = line.charAt(++i);
                text.append(e == 'n' ? '\n' : e == 'r' ? '\r' : e);
            } else {
                text.append(c);
            }
        }
        return text.toString();
    }
}
