package io.heavykv.steps;

/**
 * A scenario names something the test suite should supply and does not (a bundled prompt or text that does
 * not exist): the scenario is wrong, not the engine. The Allure categories file files these under
 * "Test defects" by this class name.
 */
public final class MissingFixtureException extends IllegalStateException {

    public MissingFixtureException(String message) {
        super(message);
    }
}
