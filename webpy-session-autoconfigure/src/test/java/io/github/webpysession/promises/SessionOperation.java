package io.github.webpysession.promises;

/** What a request does with its session, for faults in the middle of each. */
enum SessionOperation {

	/** A stored session read. */
	LOAD("/keys"),
	/** A new session's first write. */
	CREATE("/put?key=b&value=2&gate=true"),
	/** A stored session written to. */
	UPDATE("/put?key=b&value=2&gate=true"),
	/** A stored session read once its access time is due to be recorded. */
	TOUCH("/read?gate=true"),
	/** A stored session given a new id. */
	REGENERATE("/regen?gate=true"),
	/** A stored session killed. */
	KILL("/kill?gate=true");

	final String path;

	SessionOperation(String path) {
		this.path = path;
	}

}
