// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @title IFlagstoneLedger — types, events and errors of the Flagstone job ledger
/// @notice See `FlagstoneLedger` for behaviour and docs/chain.md for the state machine.
interface IFlagstoneLedger {
    /// @notice Job lifecycle. `Open → Active → Auditing → Settled`, or `Open → Cancelled`,
    /// or `Active → Settled` when the trainer misses the training deadline.
    enum Status {
        None,
        Open,
        Active,
        Auditing,
        Settled,
        Cancelled
    }

    /// @notice How a settled job ended.
    enum Outcome {
        None,
        Completed, // trainer paid, no fraud found
        Fraud, // at least one audited segment was fraudulent: trainer slashed
        TrainerDefault, // training deadline missed or flags never revealed
        Cancelled // nobody accepted the job in time, or the client withdrew the offer
    }

    /// @notice Life of one audit slot's verdict.
    enum VerdictState {
        None,
        Committed, // hash of (R', nonce) on chain
        Revealed, // R' and the entry's (stateRoot, sealedRoot) on chain
        Consistent, // R' = stateRoot and the entry is not flagged
        Captured, // flagged entry and SHA-256(salt ‖ i ‖ R') = sealedRoot: bounty
        Lazy, // R' = stateRoot on a flagged entry: the verifier did not replay
        FraudClaim, // R' ≠ stateRoot and not a captured flag; trainer may dispute
        Disputed, // trainer disputed the claim; the arbiter decides
        Fraud, // claim stands: trainer slashed
        FalseClaim // arbiter rejected the claim: verifier slashed
    }

    /// @notice Terms fixed by the client at `openJob`.
    /// @dev All deadlines are unix seconds; the five windows run back to back from the moment
    /// training is closed: commit → reveal → flag reveal → dispute → arbiter.
    struct JobTerms {
        address trainer; // the only account that may accept, close and reveal flags
        address operator; // log operator: the only account that may anchor heads
        address arbiter; // resolves disputed fraud claims (trust assumption, docs/chain.md)
        bytes32 specHash; // SHA-256 of the canonical job spec
        uint256 payment; // paid to the trainer on success
        uint256 trainerStake; // posted by the trainer at acceptance, slashed on fraud
        uint256 verifierStake; // posted by each verifier, forfeited when lazy or false
        uint256 verifierFee; // paid per honest revealed verdict
        uint256 flagBounty; // paid on top of the fee per captured flag
        uint16 auditCount; // number of audit slots (segments sampled from the seed)
        uint64 acceptBy; // trainer must accept by then
        uint64 trainBy; // trainer must close training by then
        uint32 commitWindow;
        uint32 revealWindow;
        uint32 flagRevealWindow;
        uint32 disputeWindow;
        uint32 arbiterWindow;
    }

    /// @notice Mutable state of a job besides its anchored head.
    struct JobState {
        address client;
        Status status;
        Outcome outcome;
        bool flagsRevealed;
        uint16 verifierCount;
        uint16 pendingDisputes;
        uint64 closedAt; // timestamp of closeTraining; phase windows start here
        uint64 seedBlock; // block whose hash seeds the audit
        uint64 finalSize; // tree head frozen at closeTraining
        bytes32 finalRoot;
        bytes32 flagCommitment; // C, set at acceptance
        bytes32 auditSeed; // zero until recorded
        bytes32 salt; // zero until the flags are revealed
    }

    /// @notice One audit slot.
    struct Verdict {
        address verifier;
        VerdictState state;
        bytes32 commitment;
        bytes32 computedRoot; // R'
        bytes32 stateRoot; // the audited entry's stateRoot, as reported by the verifier
        bytes32 sealedRoot; // the audited entry's sealedRoot, as reported by the verifier
    }

    /// @notice Phase ends derived from `closedAt` and the windows (inclusive bounds).
    struct Deadlines {
        uint256 commitEnd;
        uint256 revealEnd;
        uint256 flagEnd;
        uint256 disputeEnd;
        uint256 arbiterEnd;
    }

    /// @notice One element of an `anchorMany` batch.
    struct AnchorRequest {
        bytes32 jobId;
        uint64 size;
        bytes32 root;
        bytes32[] proof;
    }

    // ---------------------------------------------------------------- events
    /// @notice A client opened a job and escrowed `escrow` wei.
    event JobOpened(
        bytes32 indexed jobId,
        address indexed client,
        address indexed trainer,
        address operator,
        address arbiter,
        bytes32 specHash,
        uint256 escrow
    );
    /// @notice The trainer accepted, staked and committed to its flags.
    event JobAccepted(bytes32 indexed jobId, address indexed trainer, bytes32 flagCommitment, uint256 stake);
    /// @notice An unaccepted job was cancelled and the escrow credited back to the client.
    event JobCancelled(bytes32 indexed jobId, address indexed by);
    /// @notice The training deadline passed without `closeTraining`.
    event TrainingExpired(bytes32 indexed jobId);
    /// @notice A new tree head was anchored after its consistency proof verified.
    event HeadAnchored(bytes32 indexed jobId, uint64 size, bytes32 root, uint64 previousSize);
    /// @notice Training closed; the head `(finalSize, finalRoot)` is what gets audited.
    event TrainingClosed(bytes32 indexed jobId, uint64 finalSize, bytes32 finalRoot, uint64 seedBlock);
    /// @notice The seed block's hash was no longer available; a later block was chosen.
    event AuditSeedRearmed(bytes32 indexed jobId, uint64 seedBlock);
    /// @notice The audit seed was fixed on chain.
    event AuditSeedRecorded(bytes32 indexed jobId, bytes32 seed);
    /// @notice A verifier staked for a job.
    event VerifierRegistered(bytes32 indexed jobId, address indexed verifier, uint256 stake);
    /// @notice A verifier took an audit slot with a verdict commitment.
    event VerdictCommitted(bytes32 indexed jobId, uint256 indexed slot, address indexed verifier, bytes32 commitment);
    /// @notice A verifier opened its commitment.
    event VerdictRevealed(
        bytes32 indexed jobId,
        uint256 indexed slot,
        address indexed verifier,
        bytes32 computedRoot,
        bytes32 stateRoot,
        bytes32 sealedRoot
    );
    /// @notice The trainer revealed its salt and flagged indices.
    event FlagsRevealed(bytes32 indexed jobId, bytes32 salt, uint256[] sortedIndices);
    /// @notice A revealed verdict was classified against the flags (or by the arbiter).
    event VerdictClassified(bytes32 indexed jobId, uint256 indexed slot, VerdictState state);
    /// @notice The trainer disputed a fraud claim.
    event VerdictDisputed(bytes32 indexed jobId, uint256 indexed slot);
    /// @notice The arbiter resolved a disputed claim.
    event DisputeResolved(bytes32 indexed jobId, uint256 indexed slot, bool fraudProven);
    /// @notice A verifier's stake went to the client (lazy, false claim or no reveal).
    event StakeForfeited(bytes32 indexed jobId, address indexed verifier, uint256 amount);
    /// @notice `amount` wei became withdrawable by `account`.
    event Credited(bytes32 indexed jobId, address indexed account, uint256 amount);
    /// @notice The job was settled; all of its escrow is now credited.
    event JobSettled(bytes32 indexed jobId, Outcome outcome);
    /// @notice `account` withdrew `amount` wei.
    event Withdrawn(address indexed account, uint256 amount);

    // ---------------------------------------------------------------- errors
    /// @notice No job with this id.
    error FlagstoneLedgerUnknownJob(bytes32 jobId);
    /// @notice A job with this id already exists.
    error FlagstoneLedgerJobExists(bytes32 jobId);
    /// @notice Trainer address is zero.
    error FlagstoneLedgerInvalidTrainer(address trainer);
    /// @notice Operator address is zero.
    error FlagstoneLedgerInvalidOperator(address operator);
    /// @notice Arbiter address is zero.
    error FlagstoneLedgerInvalidArbiter(address arbiter);
    /// @notice Deadlines must satisfy `now < acceptBy < trainBy`.
    error FlagstoneLedgerInvalidDeadlines(uint64 acceptBy, uint64 trainBy, uint256 currentTime);
    /// @notice `auditCount` above the bound that keeps settlement gas bounded.
    error FlagstoneLedgerTooManyAudits(uint256 auditCount, uint256 maxAudits);
    /// @notice `msg.value` differs from the amount owed.
    error FlagstoneLedgerIncorrectValue(uint256 expected, uint256 received);
    /// @notice The job is not in the status the call needs.
    error FlagstoneLedgerUnexpectedStatus(bytes32 jobId, Status current, Status expected);
    /// @notice The caller does not hold the role the call needs.
    error FlagstoneLedgerUnauthorized(bytes32 jobId, address caller, address expected);
    /// @notice The phase's deadline has passed.
    error FlagstoneLedgerDeadlinePassed(bytes32 jobId, uint256 deadline, uint256 currentTime);
    /// @notice The phase has not started yet; it opens strictly after `opensAfter`.
    error FlagstoneLedgerTooEarly(bytes32 jobId, uint256 opensAfter, uint256 currentTime);
    /// @notice Anchored sizes must strictly grow (an unchanged head is never re-anchored).
    error FlagstoneLedgerStaleHead(bytes32 jobId, uint64 anchoredSize, uint64 size);
    /// @notice The RFC 9162 consistency proof from the anchored head does not verify.
    error FlagstoneLedgerInvalidConsistencyProof(bytes32 jobId, uint64 fromSize, uint64 toSize);
    /// @notice Not enough anchored entries to audit.
    error FlagstoneLedgerTooFewEntries(bytes32 jobId, uint64 size, uint64 minimum);
    /// @notice The seed block has not been mined yet.
    error FlagstoneLedgerSeedNotReady(bytes32 jobId, uint256 seedBlock, uint256 currentBlock);
    /// @notice The audit seed is already recorded.
    error FlagstoneLedgerSeedAlreadyRecorded(bytes32 jobId);
    /// @notice The audit seed has not been recorded.
    error FlagstoneLedgerSeedNotRecorded(bytes32 jobId);
    /// @notice The trainer may not verify its own job.
    error FlagstoneLedgerTrainerCannotVerify(bytes32 jobId, address trainer);
    /// @notice The verifier is already registered.
    error FlagstoneLedgerAlreadyRegistered(bytes32 jobId, address verifier);
    /// @notice No more verifiers than audit slots.
    error FlagstoneLedgerVerifierLimit(bytes32 jobId, uint256 limit);
    /// @notice The caller is not a registered verifier of the job.
    error FlagstoneLedgerNotRegistered(bytes32 jobId, address verifier);
    /// @notice `slot` is not below the job's `auditCount`.
    error FlagstoneLedgerInvalidSlot(bytes32 jobId, uint256 slot, uint256 auditCount);
    /// @notice Another verifier already holds the slot.
    error FlagstoneLedgerSlotTaken(bytes32 jobId, uint256 slot, address verifier);
    /// @notice The slot's verdict is not in the state the call needs.
    error FlagstoneLedgerUnexpectedVerdictState(bytes32 jobId, uint256 slot, VerdictState current, VerdictState expected);
    /// @notice The revealed verdict does not open the commitment.
    error FlagstoneLedgerVerdictMismatch(bytes32 jobId, uint256 slot, bytes32 committed, bytes32 computed);
    /// @notice The revealed salt and indices do not open the flag commitment.
    error FlagstoneLedgerFlagCommitmentMismatch(bytes32 jobId, bytes32 committed, bytes32 computed);
    /// @notice Flag indices must be strictly increasing; `position` is the first offender.
    error FlagstoneLedgerUnsortedFlags(bytes32 jobId, uint256 position);
    /// @notice Flags were already revealed.
    error FlagstoneLedgerFlagsAlreadyRevealed(bytes32 jobId);
    /// @notice Flags have not been revealed yet.
    error FlagstoneLedgerFlagsNotRevealed(bytes32 jobId);
    /// @notice `anchorMany` with no requests.
    error FlagstoneLedgerEmptyBatch(uint256 length);
    /// @notice Nothing to withdraw.
    error FlagstoneLedgerNothingToWithdraw(address account);
}
