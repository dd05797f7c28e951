@NullMarked
package io.boxoffice.booking.web;

import org.jspecify.annotations.NullMarked;
