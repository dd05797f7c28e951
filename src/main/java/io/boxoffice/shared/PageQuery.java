package io.boxoffice.shared;

import java.util.List;
import java.util.function.Function;

/** {@code ?page=&size=} of every list: page from 0, size 1..100. */
public record PageQuery(int page, int size) {

	public static final int MAX_SIZE = 100;

	public PageQuery {
		if (page < 0) {
			throw BoxofficeException.invalid("page", "must be 0 or more");
		}
		if (size < 1 || size > MAX_SIZE) {
			throw BoxofficeException.invalid("size", "must be between 1 and " + MAX_SIZE);
		}
		if ((long) page * size > Integer.MAX_VALUE) {
			throw BoxofficeException.invalid("page", "is too large");
		}
	}

	public int offset() {
		return this.page * this.size;
	}

	public <T> PageResult<T> result(List<T> items, long total) {
		return new PageResult<>(items, this.page, this.size, total);
	}

	/** {@code {"items": [...], "page": 0, "size": 20, "total": 57}} */
	public record PageResult<T>(List<T> items, int page, int size, long total) {

		public <R> PageResult<R> map(Function<T, R> mapper) {
			return new PageResult<>(this.items.stream().map(mapper).toList(), this.page, this.size, this.total);
		}

	}

}
