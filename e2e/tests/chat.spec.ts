// The website chat's whole story (issue 5), through the real UI: a
// customer on a company's page (another origin, with the snippet) and the
// agents at the Omni Desktop, a supervisor in the console.
import { expect, test } from '@playwright/test';
import { advanceClock, Api, unique } from './api';
import { AgentDesk, chatSite, Customer, CustomerSite, png, readySupervisor, signIn } from './chat-helpers';

test.use({ baseURL: process.env.E2E_BASE_URL });

let site: CustomerSite;
test.beforeAll(async () => {
  site = await CustomerSite.start();
});
test.afterAll(async () => {
  await site?.stop();
});

test('a customer chats from the website, the agent answers, tags, notes, closes and disposes; the chat list finds it', async ({ browser }) => {
  const api = await Api.admin();
  const s = await chatSite(api, site, { website: { mandatory_disposition: true, title: 'Ask the potter' } });
  const tag = await api.call('POST', '/tags', { name: unique('Refund'), colour: '#dc2626', description: 'Money back' });
  const disposition = await api.call('POST', '/dispositions', { name: unique('Solved'), account_id: s.website.id });
  const word = unique('teapot').replace('.', ''); // a word only this chat has, to search for

  const agent = await AgentDesk.open(browser, s.agents[0].username);
  const customer = await Customer.visit(browser, s.url);
  await customer.open();
  await expect(customer.widget.getByRole('heading', { name: 'Ask the potter' })).toBeVisible();
  await expect(customer.status).toHaveAttribute('data-state', 'online');
  await customer.startChat('Anna Bianchi', 'anna@example.com');

  // The agent is offered the chat and accepts it: its tab opens; the customer sees him join.
  const id = await agent.awaitOffer();
  await expect(agent.offer(id)).toContainText('Anna Bianchi'); // who is asking, from the form
  await agent.accept(id);
  await expect(agent.conversation.getByTestId('conversation-contact')).toHaveText('Anna Bianchi');
  await expect(agent.status()).toHaveAttribute('data-status', 'open');
  await expect(customer.widget.getByTestId('sb-agent-joined')).toBeVisible();
  await expect(customer.status).toHaveAttribute('data-state', 'open');

  // Messages both ways.
  await customer.say(`Hello, my ${word} arrived broken.`);
  await expect(agent.message('in', `my ${word} arrived broken`)).toBeVisible();
  await agent.reply('Sorry to hear that! Could you send a photo?');
  await expect(customer.fromAgent('Could you send a photo?')).toBeVisible();
  // The widget reports it shown and read: the agent sees the checkmarks move on.
  await expect(agent.message('out', 'Could you send a photo?').getByTestId('message-delivery')).toHaveAttribute('data-state', 'read');
  // The agent owns the chat and has read the customer's message: both ticks on the widget.
  await expect(customer.mine(`my ${word} arrived broken`)).toHaveAttribute('data-delivery', 'read');

  // A file each way.
  await customer.sendFile(png('broken-teapot.png', [220, 38, 38]));
  const photo = agent.conversation.locator('[data-testid="conversation-message"][data-direction="in"]').getByAltText('broken-teapot.png');
  await expect(photo).toBeVisible();
  await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(48);
  await agent.sendFile(png('return-label.png', [22, 163, 74]), 'Here is the return label.');
  const label = customer.fromAgent('Here is the return label.').getByRole('img', { name: 'return-label.png' });
  await expect(label).toBeVisible();
  await expect.poll(() => label.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(48);

  // A tag and an internal note; the customer never sees the note.
  await agent.tag(tag.name);
  await expect(agent.page.getByTestId('tag-button')).toContainText('1');
  await agent.addNote('Second broken teapot from this courier: escalate.');
  await agent.reply('A new one is on its way.');
  await expect(customer.fromAgent('A new one is on its way.')).toBeVisible();
  await expect(customer.messages).not.toContainText('escalate');
  await agent.screenshot('chat-agent-conversation');
  await customer.screenshot('chat-customer-conversation');

  // Closing asks for a disposition (the website makes it mandatory); the agent picks one.
  await agent.page.getByTestId('close-button').click();
  await agent.page.getByRole('button', { name: 'Close it' }).click();
  const dispose = agent.page.getByTestId('dispose-dialog');
  await expect(dispose).toBeVisible();
  await dispose.getByRole('option', { name: disposition.name }).click();
  await dispose.getByLabel('Note').fill('Replacement shipped.');
  await agent.screenshot('chat-dispose-dialog');
  await dispose.getByTestId('dispose-submit').click();
  await expect(dispose).toBeHidden();
  await expect(agent.status()).toHaveAttribute('data-status', 'closed');
  await expect(agent.status()).toContainText(disposition.name);
  await expect(agent.page.getByTestId('composer-blocked')).toBeVisible();

  // The customer's widget says the chat is over.
  await expect(customer.status).toHaveAttribute('data-state', 'closed');
  await expect(customer.widget.getByTestId('sb-ended')).toBeVisible();
  await expect(customer.widget.getByTestId('sb-composer')).toBeHidden();
  await customer.screenshot('chat-customer-ended');
  const stored = await api.call('GET', `/interactions/${id}`);
  expect(stored.disposition?.name).toBe(disposition.name);

  // The chat list finds it by tag, status and a word of the conversation.
  await agent.page.getByRole('link', { name: 'Chat', exact: true }).click();
  await expect(agent.page).toHaveURL(/\/desktop\/chat/);
  const list = agent.page.getByTestId('interaction-list');
  const row = agent.page.getByTestId(`interaction-row-${id}`);
  await expect(row).toBeVisible();
  await agent.page.getByTestId('list-filter-tags').click();
  await agent.page.getByRole('option', { name: tag.name }).click();
  await agent.page.keyboard.press('Escape');
  await agent.page.getByTestId('list-filter-status').click();
  await agent.page.getByRole('option', { name: 'Closed', exact: true }).click();
  await agent.page.keyboard.press('Escape');
  await agent.page.getByTestId('list-search').fill(word);
  await expect(agent.page).toHaveURL(new RegExp(`q=${word}`));
  await expect(list.locator('[data-testid^="interaction-row-"]')).toHaveCount(1);
  await expect(row).toContainText('Anna Bianchi');
  await expect(row).toContainText(tag.name);
  await agent.screenshot('chat-list-filtered');
  // A word the conversation does not have finds nothing.
  await agent.page.getByTestId('list-search').fill(`${word}x`);
  await expect(row).toHaveCount(0);

  await customer.close();
  await agent.close();
});

test('a transfer to a colleague that he accepts; a transfer to a queue that nobody takes in time comes back', async ({ browser }) => {
  const api = await Api.admin();
  const s = await chatSite(api, site, { agents: 2 });
  const [mario, giulia] = s.agents;
  // Mario also works a second chat queue: the one Giulia will transfer to.
  const backOffice = await api.call('POST', '/queues', { name: unique('Back office'), channel: 'chat', strategy: 'ring_all' });
  await api.call('PUT', `/agents/${mario.id}/queues`, { queue_ids: [s.queue.id, backOffice.id] });

  const a = await AgentDesk.open(browser, mario.username);
  const b = await AgentDesk.open(browser, giulia.username);
  const customer = await Customer.visit(browser, s.url);
  await customer.open();
  await customer.startChat('Paolo Neri', 'paolo@example.com');
  const id = await a.awaitOffer();
  await expect(b.offer(id)).toBeVisible(); // ring-all: both are offered it
  await a.accept(id);
  await expect(b.offer(id)).toHaveCount(0);
  await customer.say('Can I change the delivery address?');
  await expect(a.message('in', 'change the delivery address')).toBeVisible();
  await expect(customer.widget.getByTestId('sb-agent-joined')).toHaveText(/Mario/);

  // Mario hands it to Giulia; it stays his until she accepts.
  await a.page.getByTestId('transfer-button').click();
  const dialog = a.page.getByTestId('transfer-dialog');
  await dialog.getByTestId('transfer-kind').getByRole('button', { name: 'An agent' }).click();
  await dialog.getByTestId('transfer-agent').click();
  await a.page.getByRole('option', { name: 'Giulia Bianchi' }).click();
  await a.screenshot('transfer-dialog');
  await dialog.getByRole('button', { name: 'Transfer', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(a.conversation.getByText('Transfer pending')).toBeVisible();
  await expect(a.page.getByTestId('transfer-button')).toBeDisabled();

  const transfer = b.offer(id);
  await expect(transfer).toBeVisible();
  await expect(transfer).toContainText('Transfer');
  await expect(transfer).toContainText('Paolo Neri');
  await b.screenshot('transfer-offer');
  await b.accept(id);
  // Giulia has the conversation so far and answers; Mario may only read it now.
  await expect(b.message('in', 'change the delivery address')).toBeVisible();
  await expect(customer.widget.getByTestId('sb-agent-joined').last()).toHaveText(/Giulia/);
  await b.reply('Yes: which address should we use?');
  await expect(customer.fromAgent('which address should we use?')).toBeVisible();
  await expect(a.page.getByTestId('composer-blocked')).toContainText('Another agent handles this interaction');
  await expect(a.message('out', 'which address should we use?')).toBeVisible();
  expect((await api.call('GET', `/interactions/${id}`)).owner_id).toBe(giulia.id);

  // Giulia transfers it to the back office with 30 seconds to accept; Mario, who works it, lets it ring.
  await b.page.getByTestId('transfer-button').click();
  const dialogB = b.page.getByTestId('transfer-dialog');
  await dialogB.getByTestId('transfer-queue').click();
  await b.page.getByRole('option', { name: backOffice.name }).click();
  await dialogB.getByLabel('Time to accept (seconds)').fill('30');
  await dialogB.getByRole('button', { name: 'Transfer', exact: true }).click();
  await expect(dialogB).toBeHidden();
  await expect(b.conversation.getByText('Transfer pending')).toBeVisible();
  await expect(a.offer(id)).toBeVisible();

  // Time passes on the server's clock: nobody accepted, so it comes back to Giulia.
  await advanceClock(31);
  await expect(a.offer(id)).toHaveCount(0);
  const returned = `Nobody accepted the transfer of interaction #${id}: it is yours again.`;
  await expect(b.conversation.getByTestId('transfer-returned')).toHaveText(returned);
  await expect(b.conversation.getByText('Transfer pending')).toHaveCount(0);
  await expect(b.page.getByTestId('transfer-button')).toBeEnabled();
  await b.screenshot('transfer-returned');
  await b.page.getByTestId('desk-tab-dashboard').click(); // the Dashboard says so too
  await expect(b.page.getByTestId('my-interactions')).toContainText(returned);
  await b.tab(id).getByRole('link').click();
  await b.reply('Sorry for the wait: I will change it myself.');
  await expect(customer.fromAgent('I will change it myself')).toBeVisible();
  await expect(customer.widget.getByTestId('sb-agent-joined')).toHaveCount(2); // nobody new joined
  expect((await api.call('GET', `/interactions/${id}`)).owner_id).toBe(giulia.id);

  await customer.close();
  await a.close();
  await b.close();
});

test('with nobody online the widget offers the offline form; an agent who logs in later answers the message', async ({ browser }) => {
  const api = await Api.admin();
  const s = await chatSite(api, site, { website: { offline_message: 'Our potters are at the kiln. Leave us a message!' } });
  const word = unique('glaze').replace('.', '');

  const customer = await Customer.visit(browser, s.url);
  await customer.open();
  await expect(customer.status).toHaveAttribute('data-state', 'offline');
  await expect(customer.widget.getByTestId('sb-offline-message')).toHaveText('Our potters are at the kiln. Leave us a message!');
  await customer.submitForm('offline', { Name: 'Lucia Gallo', Email: 'lucia@example.com', Message: `Do you sell the ${word} separately?` });
  await expect(customer.widget.getByTestId('sb-offline-sent')).toBeVisible();
  await customer.screenshot('offline-sent');

  // The message waits in the website's queue.
  const found = await api.call('GET', `/interactions?channel=chat&q=${word}`);
  expect(found.items).toHaveLength(1);
  const id = found.items[0].id;
  expect(found.items[0]).toMatchObject({ status: 'waiting', contact_name: 'Lucia Gallo', queue_id: s.queue.id });

  // The agent logs in later: it is offered to him, he reads and answers it.
  const agent = await AgentDesk.open(browser, s.agents[0].username);
  await expect(agent.offer(id)).toBeVisible();
  await agent.accept(id);
  await expect(agent.message('in', `Do you sell the ${word} separately?`)).toBeVisible();
  await agent.reply('Yes, in three colours.');
  await agent.screenshot('offline-answered');
  expect((await api.call('GET', `/interactions/${id}`)).status).toBe('open');

  await customer.close();
  await agent.close();
});

test("a supervisor follows a live chat and leaves a note: the agent sees it, the customer never does", async ({ browser }) => {
  const api = await Api.admin();
  const s = await chatSite(api, site);
  const boss = unique('boss');
  // Realtime rights over the website's queue, and nothing else.
  await readySupervisor(api, boss, 'Sara Neri', { realtime: ['view', 'read'] }, [s.queue.id]);

  const agent = await AgentDesk.open(browser, s.agents[0].username);
  const customer = await Customer.visit(browser, s.url);
  await customer.open();
  await customer.startChat('Elena Conti', 'elena@example.com');
  const id = await agent.awaitOffer();
  await agent.accept(id);
  await customer.say('My order never arrived.');

  // The supervisor opens the interaction in the console.
  const sup = await signIn(browser, boss);
  await sup.goto(`/admin/interactions/${id}`);
  await expect(sup.getByTestId('spy-page')).toBeVisible();
  const spied = sup.getByTestId('conversation');
  await expect(spied.getByRole('heading', { name: 'Elena Conti' })).toBeVisible();
  await expect(spied).toContainText(s.queue.name); // named, though his profile cannot open the queues' settings
  await expect(spied.locator('[data-testid="conversation-message"][data-direction="in"]').filter({ hasText: 'never arrived' })).toBeVisible();
  await expect(agent.conversation.getByTestId('conversation-watchers')).toContainText('Sara Neri');

  // A new message of the customer reaches him live.
  await customer.say('It was a gift for tomorrow!');
  await expect(spied.locator('[data-testid="conversation-message"][data-direction="in"]').filter({ hasText: 'a gift for tomorrow' })).toBeVisible();

  // His note reaches the agent live, marked internal.
  await sup.getByTestId('composer-input').fill('Offer express shipping at no cost.');
  await sup.getByTestId('composer-send').click();
  await expect(spied.getByTestId('note-item').filter({ hasText: 'express shipping' })).toBeVisible();
  await sup.screenshot({ path: 'test-results/screens/spy-note.png' });
  const note = agent.note('Offer express shipping at no cost.');
  await expect(note).toBeVisible();
  await expect(note).toContainText('Sara Neri');
  await agent.screenshot('spy-note-agent');

  // The agent's next reply reaches the customer; the note never does.
  await agent.reply('We will ship a new one by express today.');
  await expect(customer.fromAgent('by express today')).toBeVisible();
  await expect(customer.messages).not.toContainText('no cost');

  await customer.close();
  await sup.context().close();
  await agent.close();
});

test('the customer ends the chat: the agent sees it closed by the customer', async ({ browser }) => {
  const api = await Api.admin();
  const s = await chatSite(api, site);
  const agent = await AgentDesk.open(browser, s.agents[0].username);
  const customer = await Customer.visit(browser, s.url);
  await customer.open();
  await customer.startChat('Marco Ferri', 'marco@example.com');
  const id = await agent.awaitOffer();
  await agent.accept(id);
  await customer.say('Thanks, that was all.');
  await expect(agent.message('in', 'that was all')).toBeVisible();

  await customer.widget.getByTestId('sb-end').click();
  await customer.widget.getByTestId('sb-end-yes').click();
  await expect(customer.widget.getByTestId('sb-ended')).toContainText('You ended the chat');

  await expect(agent.conversation.getByTestId('dispose-late')).toContainText('The customer ended the chat');
  await expect(agent.status()).toHaveAttribute('data-status', 'closed');
  await expect(agent.tab(id)).toHaveAttribute('data-status', 'closed');
  await expect(agent.page.getByTestId('composer-blocked')).toContainText('you can still add internal notes');
  await agent.screenshot('closed-by-customer');

  // Closed without a disposition: the agent gives it one afterwards.
  const name = unique('Resolved by chat');
  await api.call('POST', '/dispositions', { name });
  await agent.conversation.getByTestId('dispose-late-button').click();
  const dialog = agent.page.getByTestId('dispose-dialog');
  await dialog.getByRole('option', { name }).click();
  await dialog.getByTestId('dispose-submit').click();
  await expect(agent.conversation.getByTestId('dispose-late')).toHaveCount(0);
  await expect(agent.conversation.getByTestId('closed-by-customer')).toBeVisible();
  await expect(agent.page.getByTestId('dispose-after-button')).toHaveCount(0);
  const it = await api.call('GET', `/interactions/${id}`);
  expect(it.disposition?.name).toBe(name);

  await customer.close();
  await agent.close();
});
