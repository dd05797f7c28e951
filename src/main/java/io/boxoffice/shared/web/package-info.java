@NullMarked
package io.boxoffice.shared.web;

import org.jspecify.annotations.NullMarked;
