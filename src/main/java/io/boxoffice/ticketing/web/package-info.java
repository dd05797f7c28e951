@NullMarked
package io.boxoffice.ticketing.web;

import org.jspecify.annotations.NullMarked;
