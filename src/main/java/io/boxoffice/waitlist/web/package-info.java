@NullMarked
package io.boxoffice.waitlist.web;

import org.jspecify.annotations.NullMarked;
