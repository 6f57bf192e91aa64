// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {IFlagstoneLedger} from "./IFlagstoneLedger.sol";
import {FlagProtocol} from "./lib/FlagProtocol.sol";
import {RFC9162} from "./lib/RFC9162.sol";

/// @title FlagstoneLedger — job escrow, append-only log witness and capture-the-flag audits
/// @notice One contract holds, per job: the client's escrow, the trainer's stake, the latest
/// anchored RFC 9162 tree head of the job's training log, and the audit (DESIGN §4–5).
/// The chain acts as the log's witness: a head is accepted only with a consistency proof
/// from the previous one, so the operator cannot fork or roll back a job's history.
/// @dev Money moves by pull payments: settlement only credits balances and `withdraw` sends
/// them, so the contract's balance always equals open escrows plus credited balances.
/// Every phase has a deadline after which anyone can move the job on (docs/chain.md).
/// WARNING: disputed fraud claims are decided by the job's arbiter; the client and trainer
/// trust it for those, and only those, decisions.
contract FlagstoneLedger is IFlagstoneLedger, ReentrancyGuard {
    /// @notice Upper bound on audit slots; keeps `settle` under a few million gas.
    uint256 public constant MAX_AUDITS = 64;

    /// @notice Blocks between closing training and the block whose hash seeds the audit.
    uint64 public immutable seedDelay;

    /// @dev Anchoring's hot path reads and writes only these two slots: `operator` and
    /// `size` share slot 0 (written at `openJob`, so the first anchor's size write is not a
    /// zero-to-non-zero store), `root` is slot 1.
    struct Head {
        address operator;
        uint64 size;
        bytes32 root;
    }

    /// @dev Per-job verifier bookkeeping.
    struct VerifierRecord {
        bool registered;
        bool forfeited;
    }

    mapping(bytes32 jobId => Head) private _heads;
    mapping(bytes32 jobId => JobTerms) private _terms;
    mapping(bytes32 jobId => JobState) private _states;
    mapping(bytes32 jobId => mapping(uint256 slot => Verdict)) private _verdicts;
    mapping(bytes32 jobId => mapping(address verifier => VerifierRecord)) private _verifierRecords;
    mapping(bytes32 jobId => address[]) private _verifierLists;
    mapping(address account => uint256) private _owed;

    /// @param seedDelay_ Blocks to wait after `closeTraining` before the seed block; at least 1
    /// so that nobody knows the seed when the final head is frozen.
    constructor(uint64 seedDelay_) {
        seedDelay = seedDelay_ == 0 ? 1 : seedDelay_;
    }

    // ================================================================ job lifecycle

    /// @notice Opens job `jobId` with `terms`; the caller becomes the client and must send
    /// `payment + auditCount · (verifierFee + flagBounty)` wei.
    /// @dev `jobId` is the off-chain job id (SHA-256 of the canonical job document).
    /// @param jobId The job id.
    /// @param terms The job's terms.
    function openJob(bytes32 jobId, JobTerms calldata terms) external payable {
        if (_heads[jobId].operator != address(0)) revert FlagstoneLedgerJobExists(jobId);
        if (terms.trainer == address(0)) revert FlagstoneLedgerInvalidTrainer(terms.trainer);
        if (terms.operator == address(0)) revert FlagstoneLedgerInvalidOperator(terms.operator);
        if (terms.arbiter == address(0)) revert FlagstoneLedgerInvalidArbiter(terms.arbiter);
        if (terms.acceptBy <= block.timestamp || terms.trainBy <= terms.acceptBy) {
            revert FlagstoneLedgerInvalidDeadlines(terms.acceptBy, terms.trainBy, block.timestamp);
        }
        if (terms.auditCount > MAX_AUDITS) revert FlagstoneLedgerTooManyAudits(terms.auditCount, MAX_AUDITS);
        uint256 escrow = terms.payment + _budget(terms);
        if (msg.value != escrow) revert FlagstoneLedgerIncorrectValue(escrow, msg.value);

        _heads[jobId].operator = terms.operator;
        _terms[jobId] = terms;
        JobState storage s = _states[jobId];
        s.client = msg.sender;
        s.status = Status.Open;
        emit JobOpened(jobId, msg.sender, terms.trainer, terms.operator, terms.arbiter, terms.specHash, escrow);
    }

    /// @notice The trainer accepts the job, stakes `trainerStake` and commits to its flags.
    /// @param jobId The job.
    /// @param flagCommitment_ `C = SHA-256(salt ‖ sorted flagged indices)`, see `flagCommitment`.
    function acceptJob(bytes32 jobId, bytes32 flagCommitment_) external payable {
        JobState storage s = _requireStatus(jobId, Status.Open);
        JobTerms storage t = _terms[jobId];
        _requireCaller(jobId, t.trainer);
        if (block.timestamp > t.acceptBy) revert FlagstoneLedgerDeadlinePassed(jobId, t.acceptBy, block.timestamp);
        if (msg.value != t.trainerStake) revert FlagstoneLedgerIncorrectValue(t.trainerStake, msg.value);
        s.status = Status.Active;
        s.flagCommitment = flagCommitment_;
        emit JobAccepted(jobId, msg.sender, flagCommitment_, msg.value);
    }

    /// @notice Cancels a job nobody accepted: the client may at any time, anyone may after
    /// `acceptBy`. The whole escrow is credited back to the client.
    /// @param jobId The job.
    function cancelJob(bytes32 jobId) external {
        JobState storage s = _requireStatus(jobId, Status.Open);
        JobTerms storage t = _terms[jobId];
        if (msg.sender != s.client && block.timestamp <= t.acceptBy) {
            revert FlagstoneLedgerUnauthorized(jobId, msg.sender, s.client);
        }
        s.status = Status.Cancelled;
        s.outcome = Outcome.Cancelled;
        emit JobCancelled(jobId, msg.sender);
        _credit(jobId, s.client, t.payment + _budget(t));
    }

    /// @notice After `trainBy` without `closeTraining`, anyone may end the job: payment,
    /// verification budget and the trainer's stake go to the client (trainer default).
    /// @param jobId The job.
    function expireTraining(bytes32 jobId) external {
        JobState storage s = _requireStatus(jobId, Status.Active);
        JobTerms storage t = _terms[jobId];
        if (block.timestamp <= t.trainBy) revert FlagstoneLedgerTooEarly(jobId, t.trainBy, block.timestamp);
        s.status = Status.Settled;
        s.outcome = Outcome.TrainerDefault;
        emit TrainingExpired(jobId);
        emit JobSettled(jobId, Outcome.TrainerDefault);
        _credit(jobId, s.client, t.payment + _budget(t) + t.trainerStake);
    }

    /// @notice The trainer ends training: the current anchored head becomes the audited one
    /// and the audit seed block is fixed `seedDelay` blocks ahead.
    /// @param jobId The job.
    function closeTraining(bytes32 jobId) external {
        JobState storage s = _requireStatus(jobId, Status.Active);
        JobTerms storage t = _terms[jobId];
        _requireCaller(jobId, t.trainer);
        if (block.timestamp > t.trainBy) revert FlagstoneLedgerDeadlinePassed(jobId, t.trainBy, block.timestamp);
        Head storage h = _heads[jobId];
        // A segment [i−1, i] needs i ≥ 1, so audits need two entries; otherwise one.
        uint64 minimum = t.auditCount > 0 ? 2 : 1;
        if (h.size < minimum) revert FlagstoneLedgerTooFewEntries(jobId, h.size, minimum);
        s.status = Status.Auditing;
        s.closedAt = uint64(block.timestamp);
        s.seedBlock = uint64(block.number) + seedDelay;
        s.finalSize = h.size;
        s.finalRoot = h.root;
        emit TrainingClosed(jobId, h.size, h.root, s.seedBlock);
    }

    // ================================================================ anchoring

    /// @notice Anchors the tree head `(size, root)` of job `jobId`'s log.
    /// @dev `proof` is the RFC 9162 §2.1.4.1 consistency proof from the anchored head; it
    /// must be empty for the first anchor. Sizes strictly grow: re-sending the anchored head
    /// reverts with `FlagstoneLedgerStaleHead` rather than being a silent no-op, so a worker
    /// that retries learns the head is already on chain. Anchoring stays open in every
    /// status (the log may keep growing, e.g. with valuation entries, DESIGN §7); the audit
    /// uses the head frozen by `closeTraining`.
    /// @param jobId The job.
    /// @param size New tree size.
    /// @param root New root hash.
    /// @param proof Consistency proof from the anchored head to `(size, root)`.
    function anchor(bytes32 jobId, uint64 size, bytes32 root, bytes32[] calldata proof) external {
        _anchor(jobId, size, root, proof);
    }

    /// @notice Anchors several jobs' heads in one transaction; all or nothing.
    /// @param requests One `(jobId, size, root, proof)` per job.
    function anchorMany(AnchorRequest[] calldata requests) external {
        if (requests.length == 0) revert FlagstoneLedgerEmptyBatch(0);
        for (uint256 i = 0; i < requests.length; ++i) {
            AnchorRequest calldata r = requests[i];
            _anchor(r.jobId, r.size, r.root, r.proof);
        }
    }

    /// @dev Shared by `anchor` and `anchorMany`: one packed read of (operator, size), the root
    /// read only when a proof must be checked, two writes.
    function _anchor(bytes32 jobId, uint64 size, bytes32 root, bytes32[] calldata proof) private {
        Head storage h = _heads[jobId];
        address op = h.operator;
        uint64 previous = h.size;
        if (op != msg.sender) {
            if (op == address(0)) revert FlagstoneLedgerUnknownJob(jobId);
            revert FlagstoneLedgerUnauthorized(jobId, msg.sender, op);
        }
        if (size <= previous) revert FlagstoneLedgerStaleHead(jobId, previous, size);
        bool ok = previous == 0
            ? proof.length == 0
            : RFC9162.verifyConsistency(previous, size, h.root, root, proof);
        if (!ok) revert FlagstoneLedgerInvalidConsistencyProof(jobId, previous, size);
        h.size = size;
        h.root = root;
        emit HeadAnchored(jobId, size, root, previous);
    }

    // ================================================================ audit seed

    /// @notice Fixes the audit seed `keccak256(blockhash(seedBlock) ‖ finalRoot)` on chain.
    /// @dev `blockhash` only reaches back 256 blocks. If nobody recorded the seed in time,
    /// this call re-arms it to `block.number + seedDelay` (a block nobody knows yet) instead.
    /// @param jobId The job.
    function recordAuditSeed(bytes32 jobId) external {
        JobState storage s = _requireStatus(jobId, Status.Auditing);
        if (s.auditSeed != bytes32(0)) revert FlagstoneLedgerSeedAlreadyRecorded(jobId);
        if (block.number <= s.seedBlock) revert FlagstoneLedgerSeedNotReady(jobId, s.seedBlock, block.number);
        if (blockhash(s.seedBlock) == bytes32(0)) {
            s.seedBlock = uint64(block.number) + seedDelay;
            emit AuditSeedRearmed(jobId, s.seedBlock);
            return;
        }
        _recordSeed(jobId, s);
    }

    /// @notice The job's audit seed, and whether it is available yet (recorded, or its seed
    /// block's hash is readable now).
    /// @param jobId The job.
    /// @return seed The seed, zero when unavailable.
    /// @return available Whether `seed` is final.
    function auditSeed(bytes32 jobId) external view returns (bytes32 seed, bool available) {
        JobState storage s = _states[jobId];
        if (s.auditSeed != bytes32(0)) return (s.auditSeed, true);
        if (s.status != Status.Auditing || block.number <= s.seedBlock) return (bytes32(0), false);
        bytes32 bh = blockhash(s.seedBlock);
        if (bh == bytes32(0)) return (bytes32(0), false);
        return (FlagProtocol.auditSeed(bh, s.finalRoot), true);
    }

    /// @notice The entry index `i` audited by `slot` (segment `[i − 1, i]`).
    /// @param jobId The job.
    /// @param slot The audit slot.
    /// @return The audited entry index.
    function auditedIndex(bytes32 jobId, uint256 slot) public view returns (uint256) {
        JobState storage s = _states[jobId];
        if (s.auditSeed == bytes32(0)) revert FlagstoneLedgerSeedNotRecorded(jobId);
        _requireSlot(jobId, slot);
        return FlagProtocol.auditedIndex(s.auditSeed, slot, s.finalSize);
    }

    /// @dev Stores the seed from `blockhash(seedBlock)`; callers check the hash is available.
    function _recordSeed(bytes32 jobId, JobState storage s) private {
        s.auditSeed = FlagProtocol.auditSeed(blockhash(s.seedBlock), s.finalRoot);
        emit AuditSeedRecorded(jobId, s.auditSeed);
    }

    // ================================================================ verifiers

    /// @notice Registers the caller as a verifier of `jobId`, staking `verifierStake`.
    /// @param jobId The job.
    function registerVerifier(bytes32 jobId) external payable {
        JobState storage s = _requireStatus(jobId, Status.Auditing);
        JobTerms storage t = _terms[jobId];
        Deadlines memory d = _deadlines(t, s.closedAt);
        if (block.timestamp > d.commitEnd) revert FlagstoneLedgerDeadlinePassed(jobId, d.commitEnd, block.timestamp);
        if (msg.sender == t.trainer) revert FlagstoneLedgerTrainerCannotVerify(jobId, msg.sender);
        VerifierRecord storage r = _verifierRecords[jobId][msg.sender];
        if (r.registered) revert FlagstoneLedgerAlreadyRegistered(jobId, msg.sender);
        if (s.verifierCount >= t.auditCount) revert FlagstoneLedgerVerifierLimit(jobId, t.auditCount);
        if (msg.value != t.verifierStake) revert FlagstoneLedgerIncorrectValue(t.verifierStake, msg.value);
        r.registered = true;
        s.verifierCount += 1;
        _verifierLists[jobId].push(msg.sender);
        emit VerifierRegistered(jobId, msg.sender, msg.value);
    }

    /// @notice Takes audit slot `slot` with `commitment = verdictCommitment(jobId, slot,
    /// msg.sender, R', nonce)`. Records the audit seed first if it is not yet on chain.
    /// @param jobId The job.
    /// @param slot The audit slot.
    /// @param commitment The verdict commitment.
    function commitVerdict(bytes32 jobId, uint256 slot, bytes32 commitment) external {
        JobState storage s = _requireStatus(jobId, Status.Auditing);
        Deadlines memory d = _deadlines(_terms[jobId], s.closedAt);
        if (block.timestamp > d.commitEnd) revert FlagstoneLedgerDeadlinePassed(jobId, d.commitEnd, block.timestamp);
        if (!_verifierRecords[jobId][msg.sender].registered) revert FlagstoneLedgerNotRegistered(jobId, msg.sender);
        _requireSlot(jobId, slot);
        Verdict storage v = _verdicts[jobId][slot];
        if (v.verifier != address(0)) revert FlagstoneLedgerSlotTaken(jobId, slot, v.verifier);
        if (s.auditSeed == bytes32(0)) {
            // The slot's entry is only defined once the seed is; committing earlier is blind.
            if (block.number <= s.seedBlock || blockhash(s.seedBlock) == bytes32(0)) {
                revert FlagstoneLedgerSeedNotReady(jobId, s.seedBlock, block.number);
            }
            _recordSeed(jobId, s);
        }
        v.verifier = msg.sender;
        v.state = VerdictState.Committed;
        v.commitment = commitment;
        emit VerdictCommitted(jobId, slot, msg.sender, commitment);
    }

    /// @notice Opens a verdict commitment after the commit window closed.
    /// @param jobId The job.
    /// @param slot The audit slot.
    /// @param computedRoot R', the state root the verifier computed for the audited entry.
    /// @param stateRoot The audited entry's `stateRoot` as logged.
    /// @param sealedRoot_ The audited entry's `sealedRoot` as logged.
    /// @param nonce The commitment nonce.
    function revealVerdict(
        bytes32 jobId,
        uint256 slot,
        bytes32 computedRoot,
        bytes32 stateRoot,
        bytes32 sealedRoot_,
        bytes32 nonce
    ) external {
        JobState storage s = _requireStatus(jobId, Status.Auditing);
        Deadlines memory d = _deadlines(_terms[jobId], s.closedAt);
        if (block.timestamp <= d.commitEnd) revert FlagstoneLedgerTooEarly(jobId, d.commitEnd, block.timestamp);
        if (block.timestamp > d.revealEnd) revert FlagstoneLedgerDeadlinePassed(jobId, d.revealEnd, block.timestamp);
        Verdict storage v = _verdicts[jobId][slot];
        _requireCaller(jobId, v.verifier);
        _requireVerdictState(jobId, slot, v.state, VerdictState.Committed);
        bytes32 computed = FlagProtocol.verdictCommitment(jobId, slot, msg.sender, computedRoot, nonce);
        if (computed != v.commitment) revert FlagstoneLedgerVerdictMismatch(jobId, slot, v.commitment, computed);
        v.state = VerdictState.Revealed;
        v.computedRoot = computedRoot;
        v.stateRoot = stateRoot;
        v.sealedRoot = sealedRoot_;
        emit VerdictRevealed(jobId, slot, msg.sender, computedRoot, stateRoot, sealedRoot_);
    }

    // ================================================================ flags and disputes

    /// @notice The trainer reveals its salt and flagged indices after the verdict reveals;
    /// every revealed verdict is then classified (DESIGN §5.4).
    /// @param jobId The job.
    /// @param salt The salt committed in `C`.
    /// @param sortedIndices The flagged entry indices, strictly increasing.
    function revealFlags(bytes32 jobId, bytes32 salt, uint256[] calldata sortedIndices) external {
        JobState storage s = _requireStatus(jobId, Status.Auditing);
        JobTerms storage t = _terms[jobId];
        _requireCaller(jobId, t.trainer);
        Deadlines memory d = _deadlines(t, s.closedAt);
        if (block.timestamp <= d.revealEnd) revert FlagstoneLedgerTooEarly(jobId, d.revealEnd, block.timestamp);
        if (block.timestamp > d.flagEnd) revert FlagstoneLedgerDeadlinePassed(jobId, d.flagEnd, block.timestamp);
        if (s.flagsRevealed) revert FlagstoneLedgerFlagsAlreadyRevealed(jobId);
        for (uint256 k = 1; k < sortedIndices.length; ++k) {
            if (sortedIndices[k] <= sortedIndices[k - 1]) revert FlagstoneLedgerUnsortedFlags(jobId, k);
        }
        bytes32 computed = FlagProtocol.flagCommitment(salt, sortedIndices);
        if (computed != s.flagCommitment) {
            revert FlagstoneLedgerFlagCommitmentMismatch(jobId, s.flagCommitment, computed);
        }
        s.flagsRevealed = true;
        s.salt = salt;
        emit FlagsRevealed(jobId, salt, sortedIndices);
        for (uint256 slot = 0; slot < t.auditCount; ++slot) {
            Verdict storage v = _verdicts[jobId][slot];
            if (v.state != VerdictState.Revealed) continue;
            uint256 i = FlagProtocol.auditedIndex(s.auditSeed, slot, s.finalSize);
            v.state = _classify(v, salt, i, FlagProtocol.contains(sortedIndices, i));
            emit VerdictClassified(jobId, slot, v.state);
        }
    }

    /// @dev DESIGN §5.4. A lazy verifier copies the logged stateRoot, which for a flag is the
    /// perturbed one; only a replay yields the true root that opens `sealedRoot`.
    function _classify(
        Verdict storage v,
        bytes32 salt,
        uint256 index,
        bool flagged
    ) private view returns (VerdictState) {
        if (v.computedRoot == v.stateRoot) return flagged ? VerdictState.Lazy : VerdictState.Consistent;
        if (flagged && FlagProtocol.sealedRoot(salt, index, v.computedRoot) == v.sealedRoot) {
            return VerdictState.Captured;
        }
        return VerdictState.FraudClaim;
    }

    /// @notice The trainer disputes a fraud claim; the arbiter will replay and decide.
    /// @param jobId The job.
    /// @param slot The audit slot holding a `FraudClaim`.
    function disputeVerdict(bytes32 jobId, uint256 slot) external {
        JobState storage s = _requireStatus(jobId, Status.Auditing);
        JobTerms storage t = _terms[jobId];
        _requireCaller(jobId, t.trainer);
        if (!s.flagsRevealed) revert FlagstoneLedgerFlagsNotRevealed(jobId);
        Deadlines memory d = _deadlines(t, s.closedAt);
        if (block.timestamp > d.disputeEnd) revert FlagstoneLedgerDeadlinePassed(jobId, d.disputeEnd, block.timestamp);
        Verdict storage v = _verdicts[jobId][slot];
        _requireVerdictState(jobId, slot, v.state, VerdictState.FraudClaim);
        v.state = VerdictState.Disputed;
        s.pendingDisputes += 1;
        emit VerdictDisputed(jobId, slot);
    }

    /// @notice The arbiter resolves a disputed fraud claim.
    /// @param jobId The job.
    /// @param slot The disputed slot.
    /// @param fraudProven True: the trainer cheated (claim stands); false: the verifier's
    /// claim was wrong and its stake is forfeited.
    function resolveDispute(bytes32 jobId, uint256 slot, bool fraudProven) external {
        JobState storage s = _requireStatus(jobId, Status.Auditing);
        JobTerms storage t = _terms[jobId];
        _requireCaller(jobId, t.arbiter);
        Deadlines memory d = _deadlines(t, s.closedAt);
        if (block.timestamp > d.arbiterEnd) revert FlagstoneLedgerDeadlinePassed(jobId, d.arbiterEnd, block.timestamp);
        Verdict storage v = _verdicts[jobId][slot];
        _requireVerdictState(jobId, slot, v.state, VerdictState.Disputed);
        v.state = fraudProven ? VerdictState.Fraud : VerdictState.FalseClaim;
        s.pendingDisputes -= 1;
        emit DisputeResolved(jobId, slot, fraudProven);
        emit VerdictClassified(jobId, slot, v.state);
    }

    // ================================================================ settlement

    /// @notice Settles an audited job once its phases are over; anyone may call.
    /// @dev Due after the dispute window when flags were revealed (or after the arbiter
    /// window while disputes are pending), or after the flag window when they were not.
    /// Payouts (all credited, see `withdraw`):
    /// - verifiers: stake back, plus `verifierFee` per honest verdict and `flagBounty` per
    ///   captured flag, unless they forfeited (lazy, false claim, unrevealed commitment):
    ///   then stake to the client and nothing else for this job;
    /// - fraud: payment to the client, trainer stake split among fraud reporters;
    /// - flags never revealed: payment and trainer stake to the client;
    /// - otherwise the trainer gets payment and stake back;
    /// - the client gets the unspent verification budget and forfeited stakes.
    /// An unresolved dispute at the arbiter deadline is void: fee paid, nobody slashed.
    /// @param jobId The job.
    function settle(bytes32 jobId) external {
        JobState storage s = _requireStatus(jobId, Status.Auditing);
        JobTerms storage t = _terms[jobId];
        Deadlines memory d = _deadlines(t, s.closedAt);
        uint256 due = !s.flagsRevealed ? d.flagEnd : (s.pendingDisputes == 0 ? d.disputeEnd : d.arbiterEnd);
        if (block.timestamp <= due) revert FlagstoneLedgerTooEarly(jobId, due, block.timestamp);

        bool fraud = _markForfeits(jobId, t.auditCount, s.flagsRevealed);
        (uint256 paid, uint256 reporters) = _payVerdicts(jobId, t);
        uint256 toClient = _budget(t) - paid + _returnStakes(jobId, t.verifierStake);

        Outcome outcome;
        if (!s.flagsRevealed) {
            outcome = Outcome.TrainerDefault;
            toClient += t.payment + t.trainerStake;
        } else if (fraud) {
            outcome = Outcome.Fraud;
            toClient += t.payment + _payFraudReporters(jobId, t, reporters);
        } else {
            outcome = Outcome.Completed;
            _credit(jobId, t.trainer, t.payment + t.trainerStake);
        }
        s.status = Status.Settled;
        s.outcome = outcome;
        emit JobSettled(jobId, outcome);
        _credit(jobId, s.client, toClient);
    }

    /// @dev Pass 1: final verdict states and forfeits. Returns whether any fraud stands.
    function _markForfeits(bytes32 jobId, uint256 auditCount, bool flagsRevealed) private returns (bool fraud) {
        for (uint256 slot = 0; slot < auditCount; ++slot) {
            Verdict storage v = _verdicts[jobId][slot];
            VerdictState st = v.state;
            if (st == VerdictState.None) continue;
            if (st == VerdictState.FraudClaim) {
                // Undisputed claims stand.
                v.state = st = VerdictState.Fraud;
                emit VerdictClassified(jobId, slot, st);
            }
            if (st == VerdictState.Fraud) fraud = true;
            bool forfeit = st == VerdictState.Committed || st == VerdictState.Lazy || st == VerdictState.FalseClaim;
            if (forfeit) _verifierRecords[jobId][v.verifier].forfeited = true;
        }
        // Without revealed flags nothing could be classified; keep `fraud` false.
        return flagsRevealed && fraud;
    }

    /// @dev Pass 2: fees and bounties to verifiers that did not forfeit. Returns the amount
    /// paid from the verification budget and the number of fraud reports eligible for a share.
    function _payVerdicts(bytes32 jobId, JobTerms storage t) private returns (uint256 paid, uint256 reporters) {
        for (uint256 slot = 0; slot < t.auditCount; ++slot) {
            Verdict storage v = _verdicts[jobId][slot];
            VerdictState st = v.state;
            if (st == VerdictState.None || _verifierRecords[jobId][v.verifier].forfeited) continue;
            uint256 amount = t.verifierFee;
            if (st == VerdictState.Captured) amount += t.flagBounty;
            if (st == VerdictState.Fraud) reporters += 1;
            paid += amount;
            _credit(jobId, v.verifier, amount);
        }
    }

    /// @dev Pass 3: the trainer's stake, split equally among eligible fraud reports; returns
    /// what is left for the client (rounding dust, or all of it if no report is eligible).
    function _payFraudReporters(bytes32 jobId, JobTerms storage t, uint256 reporters) private returns (uint256) {
        if (reporters == 0) return t.trainerStake;
        uint256 share = t.trainerStake / reporters;
        for (uint256 slot = 0; slot < t.auditCount; ++slot) {
            Verdict storage v = _verdicts[jobId][slot];
            if (v.state != VerdictState.Fraud || _verifierRecords[jobId][v.verifier].forfeited) continue;
            _credit(jobId, v.verifier, share);
        }
        return t.trainerStake - share * reporters;
    }

    /// @dev Stakes back to verifiers in good standing; returns the forfeited total.
    function _returnStakes(bytes32 jobId, uint256 stake) private returns (uint256 forfeited) {
        address[] storage list = _verifierLists[jobId];
        for (uint256 k = 0; k < list.length; ++k) {
            address verifier = list[k];
            if (_verifierRecords[jobId][verifier].forfeited) {
                forfeited += stake;
                emit StakeForfeited(jobId, verifier, stake);
            } else {
                _credit(jobId, verifier, stake);
            }
        }
    }

    // ================================================================ withdrawals

    /// @notice Sends the caller everything credited to it.
    function withdraw() external nonReentrant {
        uint256 amount = _owed[msg.sender];
        if (amount == 0) revert FlagstoneLedgerNothingToWithdraw(msg.sender);
        _owed[msg.sender] = 0;
        emit Withdrawn(msg.sender, amount);
        Address.sendValue(payable(msg.sender), amount);
    }

    // ================================================================ views

    /// @notice The latest anchored head of `jobId` and its operator.
    /// @param jobId The job.
    /// @return size Anchored tree size (0 before the first anchor).
    /// @return root Anchored root hash.
    /// @return operator The account allowed to anchor (zero for an unknown job).
    function head(bytes32 jobId) external view returns (uint64 size, bytes32 root, address operator) {
        Head storage h = _heads[jobId];
        return (h.size, h.root, h.operator);
    }

    /// @notice The job's terms.
    /// @param jobId The job.
    /// @return The terms given at `openJob`.
    function jobTerms(bytes32 jobId) external view returns (JobTerms memory) {
        return _terms[jobId];
    }

    /// @notice The job's mutable state.
    /// @param jobId The job.
    /// @return The state.
    function jobState(bytes32 jobId) external view returns (JobState memory) {
        return _states[jobId];
    }

    /// @notice The phase deadlines of an audited job (all zero before `closeTraining`).
    /// @param jobId The job.
    /// @return The inclusive ends of the commit, reveal, flag, dispute and arbiter windows.
    function deadlines(bytes32 jobId) external view returns (Deadlines memory) {
        JobState storage s = _states[jobId];
        if (s.closedAt == 0) return Deadlines(0, 0, 0, 0, 0);
        return _deadlines(_terms[jobId], s.closedAt);
    }

    /// @notice The verdict in audit slot `slot`.
    /// @param jobId The job.
    /// @param slot The slot.
    /// @return The verdict.
    function verdict(bytes32 jobId, uint256 slot) external view returns (Verdict memory) {
        return _verdicts[jobId][slot];
    }

    /// @notice The job's registered verifiers, in registration order.
    /// @param jobId The job.
    /// @return The verifier addresses.
    function verifiers(bytes32 jobId) external view returns (address[] memory) {
        return _verifierLists[jobId];
    }

    /// @notice Whether `account` is a registered verifier of `jobId` and whether it forfeited.
    /// @param jobId The job.
    /// @param account The verifier.
    /// @return registered Registered for the job.
    /// @return forfeited Lost its stake at settlement.
    function verifierStatus(bytes32 jobId, address account) external view returns (bool registered, bool forfeited) {
        VerifierRecord storage r = _verifierRecords[jobId][account];
        return (r.registered, r.forfeited);
    }

    /// @notice Wei credited to `account` and not yet withdrawn.
    /// @param account The account.
    /// @return The withdrawable amount.
    function withdrawable(address account) external view returns (uint256) {
        return _owed[account];
    }

    /// @notice The escrow `openJob` requires for `terms`.
    /// @param terms The job terms.
    /// @return `payment + auditCount · (verifierFee + flagBounty)`.
    function requiredEscrow(JobTerms calldata terms) external pure returns (uint256) {
        return terms.payment + _budget(terms);
    }

    /// @notice `FlagProtocol.flagCommitment`, exposed for off-chain code and tests.
    /// @param salt The salt.
    /// @param sortedIndices Strictly increasing flagged indices.
    /// @return `SHA-256(salt ‖ i₀ ‖ … ‖ iₖ₋₁)`.
    function flagCommitment(bytes32 salt, uint256[] calldata sortedIndices) external pure returns (bytes32) {
        return FlagProtocol.flagCommitment(salt, sortedIndices);
    }

    /// @notice `FlagProtocol.sealedRoot`, exposed for off-chain code and tests.
    /// @param salt The salt.
    /// @param index The entry index.
    /// @param trueStateRoot The true state root.
    /// @return `SHA-256(salt ‖ index ‖ trueStateRoot)`.
    function sealedRoot(bytes32 salt, uint256 index, bytes32 trueStateRoot) external pure returns (bytes32) {
        return FlagProtocol.sealedRoot(salt, index, trueStateRoot);
    }

    /// @notice `FlagProtocol.verdictCommitment`, exposed for off-chain code and tests.
    /// @param jobId The job.
    /// @param slot The slot.
    /// @param verifier The verifier.
    /// @param computedRoot R'.
    /// @param nonce The nonce.
    /// @return `SHA-256(jobId ‖ slot ‖ verifier ‖ R' ‖ nonce)`, each a 32-byte word.
    function verdictCommitment(
        bytes32 jobId,
        uint256 slot,
        address verifier,
        bytes32 computedRoot,
        bytes32 nonce
    ) external pure returns (bytes32) {
        return FlagProtocol.verdictCommitment(jobId, slot, verifier, computedRoot, nonce);
    }

    /// @notice RFC 9162 §2.1.4.2 consistency check, exposed for off-chain cross-checks.
    /// @param first Older size.
    /// @param second Newer size.
    /// @param firstHash Older root.
    /// @param secondHash Newer root.
    /// @param proof Consistency path.
    /// @return Whether the proof verifies.
    function verifyConsistency(
        uint256 first,
        uint256 second,
        bytes32 firstHash,
        bytes32 secondHash,
        bytes32[] calldata proof
    ) external view returns (bool) {
        return RFC9162.verifyConsistency(first, second, firstHash, secondHash, proof);
    }

    // ================================================================ internals

    /// @dev Verification budget: the most all audit slots can earn (fee + bounty each).
    function _budget(JobTerms calldata terms) private pure returns (uint256) {
        return uint256(terms.auditCount) * (terms.verifierFee + terms.flagBounty);
    }

    /// @dev Same as above for stored terms.
    function _budget(JobTerms storage terms) private view returns (uint256) {
        return uint256(terms.auditCount) * (terms.verifierFee + terms.flagBounty);
    }

    /// @dev Phase ends, back to back from `closedAt`; all bounds inclusive.
    function _deadlines(JobTerms storage t, uint64 closedAt) private view returns (Deadlines memory d) {
        d.commitEnd = uint256(closedAt) + t.commitWindow;
        d.revealEnd = d.commitEnd + t.revealWindow;
        d.flagEnd = d.revealEnd + t.flagRevealWindow;
        d.disputeEnd = d.flagEnd + t.disputeWindow;
        d.arbiterEnd = d.disputeEnd + t.arbiterWindow;
    }

    /// @dev Returns the job's state, reverting unless it exists and is in `expected`.
    function _requireStatus(bytes32 jobId, Status expected) private view returns (JobState storage s) {
        s = _states[jobId];
        if (s.status == Status.None) revert FlagstoneLedgerUnknownJob(jobId);
        if (s.status != expected) revert FlagstoneLedgerUnexpectedStatus(jobId, s.status, expected);
    }

    /// @dev Reverts unless `msg.sender` is `expected`.
    function _requireCaller(bytes32 jobId, address expected) private view {
        if (msg.sender != expected) revert FlagstoneLedgerUnauthorized(jobId, msg.sender, expected);
    }

    /// @dev Reverts unless `slot` is below the job's audit count.
    function _requireSlot(bytes32 jobId, uint256 slot) private view {
        uint256 count = _terms[jobId].auditCount;
        if (slot >= count) revert FlagstoneLedgerInvalidSlot(jobId, slot, count);
    }

    /// @dev Reverts unless a verdict is in the `expected` state.
    function _requireVerdictState(bytes32 jobId, uint256 slot, VerdictState current, VerdictState expected) private pure {
        if (current != expected) revert FlagstoneLedgerUnexpectedVerdictState(jobId, slot, current, expected);
    }

    /// @dev Pull payment: adds `amount` to what `account` may withdraw.
    function _credit(bytes32 jobId, address account, uint256 amount) private {
        if (amount == 0) return;
        _owed[account] += amount;
        emit Credited(jobId, account, amount);
    }
}
