package io.heavykv.cli;

import io.heavykv.bench.PolicyJson;
import io.heavykv.eviction.Policies;
import io.heavykv.eviction.PolicyType;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code heavykv policies}: every registered eviction policy with its settings and their defaults. */
@Command(name = "policies", mixinStandardHelpOptions = true,
        description = {"The eviction policies --kv-policy accepts, each with the keys --kv-policy-arg and JSON configs take."})
final class PoliciesCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        for (PolicyType type : Policies.all()) {
            System.out.println(type.name() + ": " + type.summary());
            PolicyJson.defaults(type.name()).fields().forEachRemaining(e ->
                    System.out.println("    " + e.getKey() + " = " + e.getValue()));
        }
        return 0;
    }
}
