package io.plinth.api;

import java.time.Duration;
import java.util.Set;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.function.RequestPredicate;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Serves the web app (the {@code web} module, bundled in the jar under {@code META-INF/plinth-web/}) at {@code /}:
 * its content-hashed files under {@code /assets/} cached for a year, and {@code index.html} for every other GET of a
 * path that is not the API's, the actuator's or the OpenAPI document's and does not name a file, so that a deep link
 * such as {@code /r/entities/42} reloads into the app, whose router shows the screen. A build without the web app
 * ({@code -DskipFrontend}) has no {@code index.html}; those paths are then 404 as before.
 */
@Configuration(proxyBeanMethods = false)
class WebAppRoutes implements WebMvcConfigurer {

    static final String LOCATION = "META-INF/plinth-web/";

    private static final Set<String> SERVER_PREFIXES =
            Set.of("api", "actuator", "error", "v3", "swagger-ui", "swagger-ui.html", "assets");

    private final Resource index = new ClassPathResource(LOCATION + "index.html");

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/assets/**").addResourceLocations("classpath:/" + LOCATION + "assets/")
                .setCacheControl(CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable());
        registry.addResourceHandler("/favicon.svg").addResourceLocations("classpath:/" + LOCATION)
                .setCacheControl(CacheControl.maxAge(Duration.ofDays(1)));
    }

    @Bean
    RouterFunction<ServerResponse> webAppFallback() {
        RequestPredicate clientRoute = request -> {
            String path = request.path();
            String first = path.length() <= 1 ? "" : path.substring(1).split("/", 2)[0];
            String last = path.substring(path.lastIndexOf('/') + 1);
            return !SERVER_PREFIXES.contains(first) && !last.contains(".") && index.exists();
        };
        return RouterFunctions.route()
                .GET(clientRoute, request -> ServerResponse.ok().contentType(MediaType.TEXT_HTML)
                        .cacheControl(CacheControl.noCache()).body(index))
                .build();
    }
}
