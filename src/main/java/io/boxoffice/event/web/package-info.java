@NullMarked
package io.boxoffice.event.web;

import org.jspecify.annotations.NullMarked;
