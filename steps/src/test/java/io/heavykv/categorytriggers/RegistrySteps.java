package io.heavykv.categorytriggers;

import io.cucumber.java.en.Given;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * What a step that fetches a model from a registry meets when the registry cannot be reached: the exception
 * the JDK's HTTP client throws, unchanged, as a real download step would let it through.
 */
public final class RegistrySteps {

    @Given("the model registry at {string} answers")
    public void theModelRegistryAnswers(String url) throws Exception {
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding());
        }
    }
}
