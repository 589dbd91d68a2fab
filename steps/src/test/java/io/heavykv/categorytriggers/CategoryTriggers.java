package io.heavykv.categorytriggers;

import static io.cucumber.junit.platform.engine.Constants.EXECUTION_DRY_RUN_PROPERTY_NAME;
import static io.cucumber.junit.platform.engine.Constants.FILTER_NAME_PROPERTY_NAME;
import static io.cucumber.junit.platform.engine.Constants.FILTER_TAGS_PROPERTY_NAME;
import static io.cucumber.junit.platform.engine.Constants.GLUE_PROPERTY_NAME;
import static io.cucumber.junit.platform.engine.Constants.JUNIT_PLATFORM_NAMING_STRATEGY_PROPERTY_NAME;
import static io.cucumber.junit.platform.engine.Constants.PLUGIN_PROPERTY_NAME;
import static io.cucumber.junit.platform.engine.Constants.PLUGIN_PUBLISH_QUIET_PROPERTY_NAME;

import org.junit.platform.suite.api.ConfigurationParameter;
import org.junit.platform.suite.api.IncludeEngines;
import org.junit.platform.suite.api.SelectClasspathResource;
import org.junit.platform.suite.api.Suite;

/**
 * Runs the scenarios that fail on purpose (categorytriggers/*.feature) with the acceptance steps and the
 * steps only they use. Named without a Test suffix so the acceptance run leaves it out; steps/pom.xml runs
 * it in an execution of its own, whose results ci/check-categories.py reads. The filters and dry-run switch
 * a command line sets for the acceptance scenarios are overridden here (a suite's parameters come first): every
 * trigger always runs for real.
 */
@Suite
@IncludeEngines("cucumber")
@SelectClasspathResource("categorytriggers")
@ConfigurationParameter(key = GLUE_PROPERTY_NAME, value = "io.heavykv.steps,io.heavykv.categorytriggers")
@ConfigurationParameter(key = PLUGIN_PROPERTY_NAME, value = "io.qameta.allure.cucumber7jvm.AllureCucumber7Jvm")
@ConfigurationParameter(key = PLUGIN_PUBLISH_QUIET_PROPERTY_NAME, value = "true")
@ConfigurationParameter(key = JUNIT_PLATFORM_NAMING_STRATEGY_PROPERTY_NAME, value = "long")
@ConfigurationParameter(key = FILTER_TAGS_PROPERTY_NAME, value = "@expect-product or @expect-test or @expect-environment")
@ConfigurationParameter(key = FILTER_NAME_PROPERTY_NAME, value = ".*")
@ConfigurationParameter(key = EXECUTION_DRY_RUN_PROPERTY_NAME, value = "false")
public class CategoryTriggers {
}
