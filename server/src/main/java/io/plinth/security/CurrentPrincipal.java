package io.plinth.security;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/** The principal of the request being handled. */
@Component
public class CurrentPrincipal {

    /** Who is calling; {@link PlinthPrincipal#ANONYMOUS} without credentials. */
    public PlinthPrincipal get() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication instanceof PlinthAuthentication plinth ? plinth.getPrincipal() : PlinthPrincipal.ANONYMOUS;
    }
}
