/**
 * What every module shares: error codes and their problem+json form, paging, the caller's
 * identity. Kept small on purpose.
 */
@NullMarked
@ApplicationModule(type = ApplicationModule.Type.OPEN)
package io.boxoffice.shared;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
