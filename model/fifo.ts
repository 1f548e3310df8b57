/**
 * The one home of `denque`: a FIFO whose shift() is O(1). An Array's shift() copies the rest, so a
 * queue that grows to tens of thousands (waiters for a publish slot while alerts flood) turns every
 * release into O(n) — measured at 91 % of the service's CPU during an alert flood.
 */
import Denque from 'denque';

export { Denque as Fifo };
