/* Zhigong ballots on the delegate's phone: seat limits on election ballots, the voter-held
   commitment of a secret ballot, the receipt kept in this browser, and the checks of the public
   bulletin. Hand-written, no dependencies. The pages work without it: the server then makes the
   salt, shows it once, and the bulletin is checked by eye.

   The commitment is exactly democracy.ballots.commitment_for:
     SHA-256( "zhigong-ballot-v1|" + round_id + "|" + canonical_json(content) + "|" + salt )
   canonical_json: sorted keys, no spaces, UTF-8. The receipt code is the first 50 bits of the
   commitment in Crockford base32 (democracy.rules.receipt_code). */
(function () {
  "use strict";

  var PREFIX = "zhigong-ballot-v1|";
  var ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  var RECEIPTS = "zhigong.receipt.";
  var PENDING = "zhigong.pending.";

  // --- Canonical JSON and hashing -------------------------------------------------------------

  function canonical(value) {
    if (Array.isArray(value)) {
      return "[" + value.map(canonical).join(",") + "]";
    }
    if (value !== null && typeof value === "object") {
      return "{" + Object.keys(value).sort().map(function (key) {
        return JSON.stringify(key) + ":" + canonical(value[key]);
      }).join(",") + "}";
    }
    return JSON.stringify(value);
  }

  function utf8(text) {
    return new TextEncoder().encode(text);
  }

  function hex(bytes) {
    return Array.prototype.map.call(new Uint8Array(bytes), function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function subtleAvailable() {
    return !!(window.isSecureContext && window.crypto && window.crypto.subtle);
  }

  // SHA-256 in plain JavaScript (FIPS 180-4), used only to CHECK receipts and digests where the
  // page is not a secure context (plain http on a LAN) and crypto.subtle is missing.
  var K = [0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2];

  function sha256Plain(data) {
    var h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    var length = data.length;
    var padded = new Uint8Array(((length + 9 + 63) >> 6) << 6);
    padded.set(data);
    padded[length] = 0x80;
    var view = new DataView(padded.buffer);
    view.setUint32(padded.length - 8, Math.floor(length / 0x20000000));
    view.setUint32(padded.length - 4, (length << 3) >>> 0);
    var w = new Array(64);
    for (var offset = 0; offset < padded.length; offset += 64) {
      for (var i = 0; i < 16; i++) { w[i] = view.getUint32(offset + i * 4); }
      for (i = 16; i < 64; i++) {
        var s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
        var s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
        w[i] = (w[i - 16] + s0 + w[i - 7] + s1) >>> 0;
      }
      var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
      for (i = 0; i < 64; i++) {
        var t1 = (k + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i]) >>> 0;
        var t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
        k = g; g = f; f = e; e = (d + t1) >>> 0; d = c; c = b; b = a; a = (t1 + t2) >>> 0;
      }
      h = [h[0] + a, h[1] + b, h[2] + c, h[3] + d, h[4] + e, h[5] + f, h[6] + g, h[7] + k].map(function (x) {
        return x >>> 0;
      });
    }
    var out = new Uint8Array(32);
    var outView = new DataView(out.buffer);
    h.forEach(function (word, index) { outView.setUint32(index * 4, word); });
    return out;
  }

  function rotr(x, n) {
    return (x >>> n) | (x << (32 - n));
  }

  function sha256Hex(text) {
    var bytes = utf8(text);
    if (subtleAvailable()) {
      return window.crypto.subtle.digest("SHA-256", bytes).then(hex);
    }
    return Promise.resolve(hex(sha256Plain(bytes)));
  }

  function commitmentFor(round, content, salt) {
    return sha256Hex(PREFIX + round + "|" + canonical(content) + "|" + salt);
  }

  function receiptCode(commitment) {
    // 52 bits fit a double exactly; integer division keeps it exact where bit shifts would not.
    var value = Math.floor(parseInt(commitment.slice(0, 13), 16) / 4);
    var code = "";
    for (var shift = 45; shift >= 0; shift -= 5) {
      code += ALPHABET[Math.floor(value / Math.pow(2, shift)) % 32];
    }
    return code;
  }

  function newSalt() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return hex(bytes);
  }

  // --- Storage (may be refused, e.g. in private browsing) ------------------------------------

  function load(key) {
    try { return JSON.parse(window.localStorage.getItem(key)); } catch (e) { return null; }
  }

  function save(key, value) {
    try { window.localStorage.setItem(key, JSON.stringify(value)); return true; } catch (e) { return false; }
  }

  function storedReceipts(round) {
    var found = [];
    try {
      for (var i = 0; i < window.localStorage.length; i++) {
        var key = window.localStorage.key(i);
        if (key.indexOf(RECEIPTS + round + ".") === 0) { found.push(load(key)); }
      }
    } catch (e) { /* no storage: nothing of ours to check */ }
    return found.filter(Boolean);
  }

  // --- Election ballots: no more approvals than seats --------------------------------------------

  function limitSeats(form) {
    var seats = parseInt(form.dataset.seats, 10);
    var boxes = form.querySelectorAll('input[type="checkbox"]');
    var note = form.querySelector(".seat-count");
    function update() {
      var chosen = Array.prototype.filter.call(boxes, function (b) { return b.checked; }).length;
      Array.prototype.forEach.call(boxes, function (b) { b.disabled = !b.checked && chosen >= seats; });
      if (note) { note.textContent = chosen + " / " + seats; }
    }
    Array.prototype.forEach.call(boxes, function (b) { b.addEventListener("change", update); });
    update();
  }

  // --- Confirmation: the phone's own salt and commitment ------------------------------------------

  function commitOnSubmit(form) {
    form.addEventListener("submit", function (event) {
      if (!subtleAvailable() || form.dataset.committed) { return; }  // server-made salt instead
      event.preventDefault();
      var button = form.querySelector("button");
      if (button) { button.disabled = true; }
      var round = form.dataset.round;
      var content = JSON.parse(form.dataset.content);
      var salt = newSalt();
      commitmentFor(round, content, salt).then(function (commitment) {
        save(PENDING + commitment, { round: round, content: content, salt: salt, commitment: commitment });
        form.querySelector('input[name="commitment"]').value = commitment;
      }).catch(function () {
        form.querySelector('input[name="commitment"]').value = "";
      }).then(function () {
        form.dataset.committed = "1";
        form.submit();
      });
    });
  }

  // --- Receipt: keep what is needed to check the bulletin later ------------------------------------

  function keepReceipt(box) {
    var d = box.dataset;
    var record = d.salt
      ? { round: d.round, content: JSON.parse(d.content), salt: d.salt, commitment: d.commitment }
      : load(PENDING + d.commitment);
    if (!record || receiptCode(d.commitment) !== d.receipt) { return; }
    record.receipt = d.receipt;
    if (save(RECEIPTS + d.round + "." + d.receipt, record)) {
      try { window.localStorage.removeItem(PENDING + d.commitment); } catch (e) { /* kept anyway */ }
      var note = document.getElementById("receipt-stored");
      if (note) { note.hidden = false; }
    }
  }

  // --- Bulletin: find my receipt, recount, check the digest ---------------------------------------

  function messages() {
    var node = document.getElementById("ballot-messages");
    return node ? node.dataset : {};
  }

  function entries(section) {
    return Array.prototype.map.call(section.querySelectorAll("tr[data-receipt]"), function (row) {
      return { row: row, receipt: row.dataset.receipt, content: JSON.parse(row.dataset.content) };
    });
  }

  function checkMine(section, rows, text) {
    var box = section.querySelector(".my-receipt");
    var mine = storedReceipts(section.dataset.round);
    mine.forEach(function (stored) {
      var entry = rows.filter(function (e) { return e.receipt === stored.receipt; })[0];
      commitmentFor(stored.round, stored.content, stored.salt).then(function (commitment) {
        var same = entry && receiptCode(commitment) === entry.receipt &&
          canonical(entry.content) === canonical(stored.content);
        if (entry) { entry.row.classList.add(same ? "mine" : "mine-bad"); }
        var line = document.createElement("p");
        line.className = "check " + (same ? "check-ok" : "check-block");
        line.textContent = (text.yours || "") + " " + stored.receipt + "：" +
          (same ? text.ok : (entry ? text.mismatch : text.missing));
        box.appendChild(line);
        box.hidden = false;
        if (entry && same) { entry.row.scrollIntoView({ block: "center" }); }
      });
    });
  }

  function recount(kind, rows, result) {
    if (kind === "approve") {
      var counts = { yes: 0, no: 0, abstain: 0 };
      rows.forEach(function (e) { counts[e.content.choice] += 1; });
      return counts.yes === result.yes && counts.no === result.no && counts.abstain === result.abstain;
    }
    if (kind === "elect") {
      var votes = {};
      Object.keys(result.votes).forEach(function (key) { votes[key] = 0; });
      var known = rows.every(function (e) {
        return e.content.approve.every(function (c) { return (votes[String(c)] += 1) > 0; });
      });
      return known && canonical(votes) === canonical(result.votes);
    }
    var ratings = {};
    Object.keys(result.ratings).forEach(function (key) {
      ratings[key] = {};
      Object.keys(result.ratings[key]).forEach(function (g) { ratings[key][g] = 0; });
    });
    rows.forEach(function (e) {
      Object.keys(e.content.ratings).forEach(function (s) { ratings[s][e.content.ratings[s]] += 1; });
    });
    return canonical(ratings) === canonical(result.ratings);
  }

  function showCheck(node, ok, good, bad) {
    node.textContent = ok ? good : bad;
    node.classList.add(ok ? "check-ok" : "check-block");
    node.hidden = false;
  }

  function checkBulletin(section, results, text) {
    var rows = entries(section);
    checkMine(section, rows, text);
    var result = results[section.dataset.round];
    var counted = false;
    try { counted = recount(section.dataset.kind, rows, result); } catch (e) { counted = false; }
    showCheck(section.querySelector(".js-recount"), counted, text.recount, text.recountBad);
    var published = rows.map(function (e) { return { receipt: e.receipt, content: e.content }; });
    sha256Hex(canonical(published)).then(function (digest) {
      showCheck(section.querySelector(".js-digest"), digest === section.dataset.digest, text.digest, text.digestBad);
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("form.ballot-elect"), limitSeats);
    var cast = document.getElementById("cast-form");
    if (cast) { commitOnSubmit(cast); }
    var receipt = document.getElementById("receipt");
    if (receipt) { keepReceipt(receipt); }
    var resultsNode = document.getElementById("round-results");
    if (resultsNode) {
      var results = JSON.parse(resultsNode.textContent);
      var text = messages();
      Array.prototype.forEach.call(document.querySelectorAll("section.bulletin"), function (section) {
        checkBulletin(section, results, text);
      });
    }
  }

  // Exposed for the browser test, which checks this file against the server's hashing.
  window.zhigongBallot = { canonical: canonical, commitmentFor: commitmentFor, receiptCode: receiptCode,
    sha256Plain: function (text) { return hex(sha256Plain(utf8(text))); } };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
