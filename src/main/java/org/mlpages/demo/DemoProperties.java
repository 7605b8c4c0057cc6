package org.mlpages.demo;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which image model answers the demo's photos. The sample that fools a model was chosen
 * by running this one; another model may well get it right.
 *
 * @param imageModel the image model the photos are sent to; when it is not served, any
 * ready image model is used instead
 */
@ConfigurationProperties("mlpages.demo")
public record DemoProperties(@DefaultValue("cats_vs_dogs") String imageModel) {
}
