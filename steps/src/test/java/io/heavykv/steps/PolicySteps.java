package io.heavykv.steps;

import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.heavykv.eviction.EvictionStats;
import io.heavykv.eviction.Policies;
import io.heavykv.eviction.PolicyConfig;
import io.heavykv.eviction.PolicyType;
import io.heavykv.eviction.ScheduledConfig;
import io.heavykv.runtime.Engine;
import io.heavykv.runtime.Generator;
import io.heavykv.runtime.Session;
import io.heavykv.sampling.Sampler;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Steps that run every policy of the registry, so a new policy is tested by registering it. */
public final class PolicySteps {
    private final ScenarioContext context;
    private final Map<String, PolicyConfig> policies = new LinkedHashMap<>();
    private final Map<String, EvictionStats> results = new LinkedHashMap<>();

    public PolicySteps(ScenarioContext context) {
        this.context = context;
    }

    @Given("every registered eviction policy, keeping {double} of the tokens where it has a keep target")
    public void everyRegisteredEvictionPolicy(double ratio) {
        for (PolicyType type : Policies.all()) {
            PolicyConfig config = type.defaults();
            if (config instanceof ScheduledConfig scheduled) config = scheduled.withSchedule(scheduled.schedule().withTargetKeepRatio(ratio));
            policies.put(type.name(), config);
        }
    }

    @When("I generate {int} tokens greedily after the bundled prompt {word} with each of them")
    public void iGenerateWithEachOfThem(int tokens, String name) {
        int[] prompt = context.bundledPrompt(name);
        Engine engine = context.engine();
        Map<String, Object> shown = new LinkedHashMap<>();
        for (Map.Entry<String, PolicyConfig> policy : policies.entrySet()) {
            try (Session session = engine.openSession(context.cacheConfig().withPolicy(policy.getValue()), context.contextLength(), 64)) {
                new Generator(session, Sampler.of(0f, 1f, 1), engine::endsSequence).generate(prompt, tokens, (previous, token) -> { });
                EvictionStats stats = session.figures().eviction();
                results.put(policy.getKey(), stats);
                shown.put(policy.getKey() + " lossy (evicting layers)", Math.round(stats.evictingLossyRatio() * 10_000) / 10_000.0);
                shown.put(policy.getKey() + " plans applied/rejected", stats.plansApplied() + "/" + stats.plansRejected());
            }
        }
        Figures.keyValues("policies", shown);
    }

    @Then("no policy had a reserve plan rejected")
    public void noPolicyHadAReservePlanRejected() {
        assertThat(results).hasSameSizeAs(policies);
        results.forEach((name, stats) -> assertThat(stats.plansRejected())
                .as("%s: plans rejected (%s)", name, stats.lastRejection()).isZero());
    }

    @Then("every policy with a keep target reached a lossy ratio of at least {double} on its evicting layers")
    public void everyPolicyWithAKeepTargetReached(double bound) {
        results.forEach((name, stats) -> {
            if (policies.get(name) instanceof ScheduledConfig) {
                assertThat(stats.evictingLossyRatio()).as("%s: lossy ratio on evicting layers", name).isGreaterThanOrEqualTo(bound);
            }
        });
    }
}
