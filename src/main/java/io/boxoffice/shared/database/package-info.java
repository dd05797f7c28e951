@NullMarked
package io.boxoffice.shared.database;

import org.jspecify.annotations.NullMarked;
