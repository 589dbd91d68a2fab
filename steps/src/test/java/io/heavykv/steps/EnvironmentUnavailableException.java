package io.heavykv.steps;

/**
 * The machine lacks something a scenario needs (a model file, a system property), so the scenario
 * says nothing about the engine. The Allure categories file files these under "Environment" by this
 * class name, apart from product and test defects.
 */
public final class EnvironmentUnavailableException extends IllegalStateException {

    public EnvironmentUnavailableException(String message) {
        super(message);
    }
}
